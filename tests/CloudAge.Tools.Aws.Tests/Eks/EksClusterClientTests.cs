using System.Text;
using CloudAge.Common.Secrets;
using CloudAge.Testing;
using CloudAge.Tools.Aws.Credentials;
using CloudAge.Tools.Aws.Eks;
using CloudAge.Tools.Aws.Signing;
using CloudAge.Tools.Aws.Tests.Fixtures;
using Microsoft.AspNetCore.Http;

namespace CloudAge.Tools.Aws.Tests.Eks;

/// <summary>EKS DescribeCluster against the real moto server, which implements the EKS REST API.</summary>
[Collection(MotoServerGroup.Name)]
public sealed class EksClusterClientTests(MotoServer moto)
{
    private static async Task CreateClusterAsync(Uri endpoint, string name, string vpcConfig = """{"subnetIds":[]}""")
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, "/clusters"))
        {
            Content = new StringContent($$$"""{"name":"{{{name}}}","roleArn":"arn:aws:iam::123456789012:role/eks","resourcesVpcConfig":{{{vpcConfig}}}}""", Encoding.UTF8, "application/json"),
        };
        var keys = await MotoServer.Session().Credentials.GetCredentialsAsync();
        await SigV4RequestSigner.SignAsync(request, keys, MotoServer.Region, "eks", DateTimeOffset.UtcNow);
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    [IntegrationFact(Needs.Moto)]
    public async Task DescribeCluster_returns_the_endpoint_and_certificate_authority_of_the_cluster()
    {
        var endpoint = await moto.ResetAsync();
        await CreateClusterAsync(endpoint, "cloudage-test");

        var cluster = await new EksClusterClient(new SecretMasker()).DescribeAsync(MotoServer.Session(), "cloudage-test", endpoint);

        Assert.Equal("cloudage-test", cluster.Name);
        Assert.Equal(Uri.UriSchemeHttps, cluster.Endpoint.Scheme);
        Assert.False(string.IsNullOrEmpty(cluster.CertificateAuthorityData));
    }

    [IntegrationFact(Needs.Moto)]
    public async Task A_private_only_or_CIDR_limited_endpoint_is_said_before_its_calls_time_out()
    {
        var endpoint = await moto.ResetAsync();
        await CreateClusterAsync(endpoint, "private", """{"subnetIds":[],"endpointPublicAccess":false,"endpointPrivateAccess":true}""");
        await CreateClusterAsync(endpoint, "office", """{"subnetIds":[],"endpointPublicAccess":true,"publicAccessCidrs":["203.0.113.0/24","198.51.100.7/32"]}""");
        await CreateClusterAsync(endpoint, "public", """{"subnetIds":[],"endpointPublicAccess":true,"publicAccessCidrs":["0.0.0.0/0"]}""");
        var client = new EksClusterClient(new SecretMasker());

        var closed = await client.DescribeAsync(MotoServer.Session(), "private", endpoint);
        var office = await client.DescribeAsync(MotoServer.Session(), "office", endpoint);
        var open = await client.DescribeAsync(MotoServer.Session(), "public", endpoint);

        Assert.False(closed.PublicAccess);
        Assert.StartsWith("EKS cluster 'private' has a private API endpoint only (endpointPublicAccess: false): it answers only from inside its VPC", closed.ReachabilityNote);
        Assert.Equal(["203.0.113.0/24", "198.51.100.7/32"], office.PublicAccessCidrs);
        Assert.StartsWith("EKS cluster 'office' admits public API access only from 203.0.113.0/24, 198.51.100.7/32 (publicAccessCidrs)", office.ReachabilityNote);
        Assert.Null(open.ReachabilityNote);
    }

    [IntegrationFact(Needs.Moto)]
    public async Task An_unknown_cluster_is_a_clear_error_that_names_the_cluster_and_keeps_the_secret_out()
    {
        var endpoint = await moto.ResetAsync();
        const string secret = "eks-describe-secret-0123456789abcdef";

        // An unknown cluster is not a credentials problem: EksException, with the endpoint and the status.
        var error = await Assert.ThrowsAsync<EksException>(() =>
            new EksClusterClient(new SecretMasker()).DescribeAsync(MotoServer.Session(secret), "no-such-cluster", endpoint));

        Assert.Contains("'no-such-cluster'", error.Message);
        Assert.Contains("answered 404", error.Message);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.StatusCode);
        Assert.DoesNotContain(secret, error.Message);
    }

    [IntegrationFact(Needs.Moto)]
    public async Task EKS_answering_5xx_on_every_try_is_a_service_error_naming_the_endpoint_not_a_credentials_error()
    {
        var moto503 = await moto.ResetAsync();
        await CreateClusterAsync(moto503, "cloudage-test");
        await using var proxy = new FaultProxy(moto503, Fault.ServiceUnavailable, Fault.ServiceUnavailable, Fault.ServiceUnavailable);

        var error = await Assert.ThrowsAsync<EksException>(() =>
            new EksClusterClient(new SecretMasker()).DescribeAsync(MotoServer.Session(), "cloudage-test", proxy.Endpoint));

        Assert.Equal(proxy.Endpoint, error.Endpoint);
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Contains(proxy.Endpoint.ToString(), error.Message);
        Assert.Contains("failed after 3 tries", error.Message);
        Assert.Equal(3, proxy.Requests);
    }

    [IntegrationFact(Needs.Moto)]
    public async Task EKS_answering_5xx_once_is_retried()
    {
        var endpoint = await moto.ResetAsync();
        await CreateClusterAsync(endpoint, "cloudage-test");
        await using var proxy = new FaultProxy(endpoint, Fault.ServiceUnavailable);

        var cluster = await new EksClusterClient(new SecretMasker()).DescribeAsync(MotoServer.Session(), "cloudage-test", proxy.Endpoint);

        Assert.Equal("cloudage-test", cluster.Name);
        Assert.Equal(2, proxy.Requests);
    }

    [IntegrationFact(Needs.Moto)]
    public async Task EKS_throttling_with_ThrottlingException_is_retried()
    {
        var endpoint = await moto.ResetAsync();
        await CreateClusterAsync(endpoint, "cloudage-test");
        // HTTP 400 with __type and X-Amzn-Errortype ThrottlingException: botocore retries it for every service
        // (botocore/retries/standard.py _THROTTLED_ERROR_CODES, data/_retry.json "throttling_exception").
        await using var proxy = new FaultProxy(endpoint, Fault.Throttle);

        var cluster = await new EksClusterClient(new SecretMasker()).DescribeAsync(MotoServer.Session(), "cloudage-test", proxy.Endpoint);

        Assert.Equal("cloudage-test", cluster.Name);
        Assert.Equal(2, proxy.Requests);
    }

    [Fact]
    public async Task EKS_answering_429_TooManyRequestsException_is_retried_and_named_after_the_last_try()
    {
        // EKS throttles DescribeCluster with HTTP 429 TooManyRequestsException (awslabs/amazon-eks-ami #218: "An error occurred
        // (TooManyRequestsException) when calling the DescribeCluster operation (reached max retries: 4)"); the CLI retries
        // every 429 (botocore data/_retry.json "too_many_requests"). REST-JSON names the error in X-Amzn-Errortype.
        var requests = 0;
        await using var server = LoopbackWebApp.Create(async context =>
        {
            Interlocked.Increment(ref requests);
            context.Response.StatusCode = 429;
            context.Response.Headers["X-Amzn-Errortype"] = "TooManyRequestsException:http://internal.amazon.com/coral/com.amazon.coral.availability/";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"message":"Too Many Requests"}""");
        });
        await server.StartAsync();
        var endpoint = new Uri(server.Urls.First() + "/");

        var error = await Assert.ThrowsAsync<EksException>(() =>
            new EksClusterClient(new SecretMasker()).DescribeAsync(MotoServer.Session(), "cloudage-test", endpoint));

        Assert.Equal(3, requests);
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Contains("failed after 3 tries", error.Message);
        Assert.Contains("TooManyRequestsException", error.Message);
    }

    [Fact]
    public async Task A_200_that_is_not_a_DescribeCluster_answer_is_an_EksException_naming_the_endpoint()
    {
        // A proxy's sign-in page where EKS should answer.
        await using var server = LoopbackWebApp.Create(async context =>
        {
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html>\n<head><title>Sign in</title></head>\n::error::forged\r\n" + new string('x', 5000));
        });
        await server.StartAsync();
        var endpoint = new Uri(server.Urls.First() + "/");

        var error = await Assert.ThrowsAsync<EksException>(() =>
            new EksClusterClient(new SecretMasker()).DescribeAsync(MotoServer.Session(), "cloudage-test", endpoint));

        Assert.Equal(endpoint, error.Endpoint);
        Assert.Equal(System.Net.HttpStatusCode.OK, error.StatusCode);
        Assert.StartsWith($"EKS DescribeCluster for 'cloudage-test' at {endpoint} answered 200 with a body that is not a cluster", error.Message);
        Assert.Contains(@"<html>\n<head><title>Sign in</title></head>\n::error::forged\r\n", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.InRange(error.Message.Length, 1, 1000);
    }

    [Fact]
    public async Task Without_an_endpoint_a_China_region_is_asked_at_its_amazonaws_com_cn_endpoint()
    {
        var eks = new RecordingHandler("""{"cluster":{"name":"cloudage","endpoint":"https://example.gr7.cn-north-1.eks.amazonaws.com.cn","certificateAuthority":{"data":"Q0E="}}}""");

        await new EksClusterClient(new SecretMasker(), eks).DescribeAsync(AwsSession.FromKeys("AKIDEXAMPLE", "secret", null, "cn-north-1"), "cloudage");

        Assert.Equal(new Uri("https://eks.cn-north-1.amazonaws.com.cn/clusters/cloudage"), Assert.Single(eks.Requests));
    }

    // Answers every request with one DescribeCluster body and keeps the addresses asked.
    private sealed class RecordingHandler(string body) : HttpMessageHandler
    {
        public List<Uri> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request.RequestUri!);
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }
}
