using System.Text;
using CloudAge.Tools.Aws.Credentials;
using CloudAge.Tools.Aws.Eks;
using CloudAge.Tools.Aws.Tests.Fixtures;

namespace CloudAge.Tools.Aws.Tests.Eks;

public sealed class EksTokenGeneratorTests
{
    private const string Secret = "eks-secret-c9f0f895fb98ab9159f5";
    private const string SessionToken = "eks-session-token-45c48cce2e2d7fbdea1afc51c7c6ad26";
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 4, 0, 0, TimeSpan.Zero);

    private static async Task<(EksToken Token, Uri Url, Dictionary<string, string> Query, LogCapture Log)> GenerateAsync(string cluster, string? token = SessionToken)
    {
        var log = new LogCapture();
        var generator = new EksTokenGenerator(log.Masker, new FixedTime(Now));
        var eks = await generator.GenerateAsync(AwsSession.FromKeys("AKIAEKSTEST000000001", Secret, token, "eu-west-1"), cluster);
        var encoded = eks.Token[EksTokenGenerator.Prefix.Length..].Replace('-', '+').Replace('_', '/');
        var url = new Uri(Encoding.UTF8.GetString(Convert.FromBase64String(encoded.PadRight(encoded.Length + (4 - encoded.Length % 4) % 4, '='))));
        var query = url.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        return (eks, url, query, log);
    }

    [Fact]
    public async Task Token_is_a_presigned_GetCallerIdentity_url_in_unpadded_base64url_as_aws_eks_get_token_makes()
    {
        var (eks, url, query, _) = await GenerateAsync("cloudage-prod");

        Assert.StartsWith("k8s-aws-v1.", eks.Token);
        Assert.DoesNotContain("=", eks.Token);
        Assert.DoesNotContain("+", eks.Token);
        Assert.DoesNotContain("/", eks.Token);
        Assert.Equal("https://sts.eu-west-1.amazonaws.com/", url.GetLeftPart(UriPartial.Path));
        Assert.Equal("GetCallerIdentity", query["Action"]);
        Assert.Equal("2011-06-15", query["Version"]);
        Assert.Equal("AWS4-HMAC-SHA256", query["X-Amz-Algorithm"]);
        Assert.Equal("AKIAEKSTEST000000001/20261126/eu-west-1/sts/aws4_request", query["X-Amz-Credential"]);
        Assert.Equal("20261126T040000Z", query["X-Amz-Date"]);
        Assert.Equal("60", query["X-Amz-Expires"]);
        Assert.Equal("host;x-k8s-aws-id", query["X-Amz-SignedHeaders"]);
        Assert.Equal(SessionToken, query["X-Amz-Security-Token"]);
        Assert.Matches("^[0-9a-f]{64}$", query["X-Amz-Signature"]);
        Assert.Equal(Now.AddMinutes(14), eks.ExpiresAt);
    }

    [Fact]
    public async Task The_cluster_name_is_part_of_the_signature()
    {
        var (_, _, prod, _) = await GenerateAsync("cloudage-prod");
        var (_, _, staging, _) = await GenerateAsync("cloudage-staging");

        Assert.NotEqual(prod["X-Amz-Signature"], staging["X-Amz-Signature"]);
    }

    [Fact]
    public async Task Long_term_keys_make_a_token_without_a_security_token()
    {
        var (_, _, query, _) = await GenerateAsync("cloudage-prod", token: null);

        Assert.False(query.ContainsKey("X-Amz-Security-Token"));
    }

    [Fact]
    public async Task The_token_and_the_keys_behind_it_are_masked_and_never_printed()
    {
        var (eks, _, _, log) = await GenerateAsync("cloudage-prod");

        Assert.Equal("***", log.Masker.Redact(eks.Token));
        Assert.Equal("***", log.Masker.Redact(Secret));
        Assert.Equal("***", log.Masker.Redact(SessionToken));
        Assert.DoesNotContain(eks.Token, eks.ToString());
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
