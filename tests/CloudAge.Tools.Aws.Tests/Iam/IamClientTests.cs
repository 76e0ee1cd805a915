using System.Net;
using System.Text;
using CloudAge.Common.Secrets;
using CloudAge.Tools.Aws.Credentials;
using CloudAge.Tools.Aws.Iam;

namespace CloudAge.Tools.Aws.Tests.Iam;

public sealed class IamClientTests
{
    private sealed class Capture(string answer, HttpStatusCode status = HttpStatusCode.OK) : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(answer, Encoding.UTF8, "text/xml") });
        }
    }

    private const string Providers = """
        <ListOpenIDConnectProvidersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
          <ListOpenIDConnectProvidersResult>
            <OpenIDConnectProviderList>
              <member><Arn>arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com</Arn></member>
              <member><Arn>arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC</Arn></member>
            </OpenIDConnectProviderList>
          </ListOpenIDConnectProvidersResult>
        </ListOpenIDConnectProvidersResponse>
        """;

    [Theory]
    // IAM is global: one endpoint per partition, signed for its IAM Region whatever the session's (botocore endpoint rules).
    [InlineData("eu-west-1", "https://iam.amazonaws.com/", "/us-east-1/iam/aws4_request")]
    [InlineData("cn-northwest-1", "https://iam.cn-north-1.amazonaws.com.cn/", "/cn-north-1/iam/aws4_request")]
    [InlineData("us-gov-east-1", "https://iam.us-gov.amazonaws.com/", "/us-gov-west-1/iam/aws4_request")]
    public async Task The_providers_are_listed_from_the_partitions_IAM_endpoint_signed_for_its_region(string region, string endpoint, string scope)
    {
        using var handler = new Capture(Providers);
        using var client = new IamClient(AwsSession.FromKeys("AKIDEXAMPLE", "secret", null, region), new SecretMasker(), _ => { }, null, handler);

        var arns = await client.ListOpenIdConnectProviderArnsAsync();

        Assert.Equal(["arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com", "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"], arns);
        var request = Assert.Single(handler.Requests);
        Assert.Equal(endpoint, request.RequestUri!.ToString());
        Assert.Contains(scope, string.Join(" ", request.Headers.GetValues("Authorization")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusal_is_an_IamException_with_its_code()
    {
        using var handler = new Capture("""<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to perform: iam:ListOpenIDConnectProviders</Message></Error></ErrorResponse>""", HttpStatusCode.Forbidden);
        using var client = new IamClient(AwsSession.FromKeys("AKIDEXAMPLE", "secret", null, "us-east-1"), new SecretMasker(), _ => { }, null, handler);

        var refused = await Assert.ThrowsAsync<IamException>(() => client.ListOpenIdConnectProviderArnsAsync());

        Assert.Equal("AccessDenied", refused.Code);
        Assert.Contains("iam:ListOpenIDConnectProviders", refused.Message, StringComparison.Ordinal);
    }
}
