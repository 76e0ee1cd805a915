using Amazon.Runtime;
using CloudAge.Tools.Aws.Signing;

namespace CloudAge.Tools.Aws.Tests.Signing;

/// <summary>The official SigV4 test suite (awslabs/aws-c-auth tests/aws-signing-test-suite/v4), through the signer ECR calls use.</summary>
public sealed class SigV4VectorTests
{
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string SessionToken = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";
    private static readonly DateTimeOffset SignedAt = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("GET", null, "host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")]
    [InlineData("POST", null, "host;x-amz-date", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")]
    [InlineData("GET", SessionToken, "host;x-amz-date;x-amz-security-token", "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8")]
    public async Task Signer_reproduces_the_official_vector(string method, string? token, string signedHeaders, string signature)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "https://example.amazonaws.com/");

        await SigV4RequestSigner.SignAsync(request, new ImmutableCredentials("AKIDEXAMPLE", SecretKey, token), "us-east-1", "service", SignedAt);

        Assert.Equal(
            $"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders={signedHeaders}, Signature={signature}",
            request.Headers.GetValues("Authorization").Single());
        Assert.Equal("20150830T123600Z", request.Headers.GetValues("X-Amz-Date").Single());
        Assert.Equal(token is not null, request.Headers.Contains("X-Amz-Security-Token"));
    }

    [Fact]
    public async Task Signer_signs_the_content_type_and_target_of_an_ECR_call()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://api.ecr.eu-west-1.amazonaws.com/")
        {
            Content = new ByteArrayContent("{}"u8.ToArray()),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.DescribeRepositories");

        await SigV4RequestSigner.SignAsync(request, new ImmutableCredentials("AKIDEXAMPLE", SecretKey, null), "eu-west-1", "ecr", SignedAt);

        var authorization = request.Headers.GetValues("Authorization").Single();
        Assert.Contains("/20150830/eu-west-1/ecr/aws4_request", authorization);
        Assert.Contains("SignedHeaders=content-type;host;x-amz-date;x-amz-target,", authorization);
        Assert.DoesNotContain(SecretKey, authorization);
    }

    [Fact]
    public void Presign_puts_the_signature_and_signed_headers_in_the_query()
    {
        var uri = SigV4RequestSigner.Presign(new Uri("https://example.amazonaws.com/?Action=Test"),
            new Dictionary<string, string> { ["x-custom"] = "value" },
            new ImmutableCredentials("AKIDEXAMPLE", SecretKey, SessionToken), "us-east-1", "service", SignedAt, TimeSpan.FromSeconds(60));

        var query = uri.Query;
        Assert.Contains("Action=Test", query);
        Assert.Contains("X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request", query);
        Assert.Contains("X-Amz-SignedHeaders=host%3Bx-custom", query);
        Assert.Contains("X-Amz-Expires=60", query);
        Assert.Contains($"X-Amz-Security-Token={SessionToken}", query);
        Assert.Matches("X-Amz-Signature=[0-9a-f]{64}", query);
    }
}
