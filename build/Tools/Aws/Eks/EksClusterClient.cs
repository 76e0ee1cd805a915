using System.Net.Http.Headers;
using System.Text.Json;
using CloudAge.Common.Secrets;
using CloudAge.Common.Text;
using CloudAge.Tools.Aws.Credentials;
using CloudAge.Tools.Aws.Ecr;
using CloudAge.Tools.Aws.Transport;

namespace CloudAge.Tools.Aws.Eks;

/// <summary>Where an EKS cluster's API server is and the CA that signs its certificate.</summary>
public sealed record EksCluster(string Name, Uri Endpoint, string CertificateAuthorityData)
{
    /// <summary>resourcesVpcConfig.endpointPublicAccess; null when EKS did not say.</summary>
    public bool? PublicAccess { get; init; }

    /// <summary>resourcesVpcConfig.publicAccessCidrs: where the public endpoint admits clients from (EKS's default is 0.0.0.0/0).</summary>
    public IReadOnlyList<string> PublicAccessCidrs { get; init; } = [];

    /// <summary>
    /// A sentence to print before the first call when the endpoint may not answer from here: a private-only endpoint
    /// resolves to addresses inside the VPC and connections from outside time out, as do connections from an address
    /// outside publicAccessCidrs (EKS User Guide, "Cluster API server endpoint"). Null when it is public to all.
    /// </summary>
    public string? ReachabilityNote =>
        PublicAccess == false
            ? $"EKS cluster '{Name}' has a private API endpoint only (endpointPublicAccess: false): it answers only from inside its VPC " +
              "(a self-hosted runner there, or a VPN); from anywhere else the Kubernetes calls time out."
            : PublicAccessCidrs.Count > 0 && !PublicAccessCidrs.Contains("0.0.0.0/0")
                ? $"EKS cluster '{Name}' admits public API access only from {string.Join(", ", PublicAccessCidrs)} (publicAccessCidrs): " +
                  "this machine's public address must be in that list, or the Kubernetes calls time out."
                : null;
}

/// <summary>
/// EKS DescribeCluster (<c>GET /clusters/{name}</c>, REST-JSON, SigV4 service <c>eks</c>), written by hand because
/// AWSSDK.EKS is not served. Only the endpoint and CA are read: what a kubeconfig for the cluster needs.
/// </summary>
public sealed class EksClusterClient(SecretMasker masker, HttpMessageHandler? handler = null)
{
    // One DescribeCluster per deploy: three tries, 2 s doubling, 30 s each.
    private sealed record CallOptions(int MaxAttempts, TimeSpan FirstRetryDelay, TimeSpan MaxRetryDelay, TimeSpan AttemptTimeout, TimeProvider TimeProvider) : IAwsCallOptions
    {
        public static readonly CallOptions Default = new(3, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30), TimeProvider.System);
    }

    /// <summary>How DescribeCluster is tried: tries, pauses and the time each try may take.</summary>
    public static IAwsCallOptions Patience => CallOptions.Default;

    // A 5xx or throttling is EKS's trouble, not the caller's: retried, and after the last try an EksException naming the endpoint.
    private sealed class TransientAnswer(int status, string message) : Exception(message)
    {
        public int Status { get; } = status;
    }

    public async Task<EksCluster> DescribeAsync(AwsSession session, string clusterName, Uri? endpoint = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var baseUri = endpoint ?? AwsEndpoints.Eks(session.Region);
        var uri = new Uri(baseUri, "clusters/" + Uri.EscapeDataString(clusterName));
        using var transport = new AwsTransport("EKS", "eks", session, masker, CallOptions.Default,
            e => e is TransientAnswer, e => e is TransientAnswer answer ? $"HTTP {answer.Status}" : null, log: null, handler);
        var body = await transport.CallAsync("DescribeCluster", () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, uri);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                return request;
            },
            (response, text) => Read(response, text, clusterName, baseUri),
            (attempts, last) => new EksException(baseUri, last is TransientAnswer answer ? (System.Net.HttpStatusCode?)answer.Status : null,
                masker.Redact(last is TransientAnswer ? $"EKS DescribeCluster at {baseUri} failed after {AwsTransport.Tries(attempts)}: {last.Message}" : $"EKS DescribeCluster at {baseUri} {AwsTransport.Unanswered(attempts, last)}") + ". EKS or the network to it is failing; try again later, or check the region and any HTTPS proxy settings.", last),
            cancellationToken).ConfigureAwait(false);
        return ReadCluster(body, clusterName, baseUri);
    }

    // A 200 that is not DescribeCluster's JSON (a proxy's sign-in page, something else at an --aws-endpoint override, a
    // cluster still being created that has no endpoint yet) is named with what came back, not left to escape as a JSON
    // reader's exception.
    private EksCluster ReadCluster(string body, string clusterName, Uri baseUri)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var cluster = document.RootElement.GetProperty("cluster");
            if (Uri.TryCreate(cluster.GetProperty("endpoint").GetString(), UriKind.Absolute, out var endpoint)
                && cluster.GetProperty("certificateAuthority").GetProperty("data").GetString() is { Length: > 0 } authority)
            {
                var vpc = cluster.TryGetProperty("resourcesVpcConfig", out var v) && v.ValueKind == JsonValueKind.Object ? v : default;
                return new EksCluster(clusterName, endpoint, authority)
                {
                    PublicAccess = vpc.ValueKind == JsonValueKind.Object && vpc.TryGetProperty("endpointPublicAccess", out var p)
                        && p.ValueKind is JsonValueKind.True or JsonValueKind.False ? p.GetBoolean() : null,
                    PublicAccessCidrs = vpc.ValueKind == JsonValueKind.Object && vpc.TryGetProperty("publicAccessCidrs", out var c) && c.ValueKind == JsonValueKind.Array
                        ? [.. c.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => PeerText.OneLine(e.GetString(), 50))]
                        : [],
                };
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw NotACluster(e);
        }
        throw NotACluster(null);

        EksException NotACluster(Exception? cause) => new(baseUri, System.Net.HttpStatusCode.OK,
            $"EKS DescribeCluster for '{clusterName}' at {baseUri} answered 200 with a body that is not a cluster with an endpoint and " +
            $"certificate authority: {masker.Redact(PeerText.OneLine(body))}. Check that the endpoint is EKS's (the region, any --aws-endpoint " +
            "override, any HTTPS proxy that answers in its place) and that the cluster is ACTIVE.", cause);
    }

    private string Read(HttpResponseMessage response, string body, string clusterName, Uri baseUri)
    {
        if ((int)response.StatusCode >= 500)
            throw new TransientAnswer((int)response.StatusCode, $"answered {(int)response.StatusCode}: {PeerText.OneLine(body)}");
        // EKS throttles with 429 TooManyRequestsException or 400 ThrottlingException; the AWS CLI retries both (botocore data/_retry.json).
        var code = AwsErrorBody.CodeOf(response, body);
        if (response.StatusCode is System.Net.HttpStatusCode.TooManyRequests || code is "ThrottlingException" or "TooManyRequestsException")
            throw new TransientAnswer((int)response.StatusCode, $"answered {(int)response.StatusCode} {code ?? "TooManyRequests"}: {PeerText.OneLine(body)}");
        // 401 and 403 are the credentials' fault (unsigned, expired, or no eks:DescribeCluster); other refusals are not.
        if (response.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
            throw new AwsCredentialsException($"EKS DescribeCluster for '{clusterName}' at {baseUri} answered {(int)response.StatusCode}: {masker.Redact(PeerText.OneLine(body))}. Check that the credentials are valid and may call eks:DescribeCluster.");
        if (!response.IsSuccessStatusCode)
            throw new EksException(baseUri, response.StatusCode, $"EKS DescribeCluster for '{clusterName}' at {baseUri} answered {(int)response.StatusCode}: {masker.Redact(PeerText.OneLine(body))}. Check the cluster name and region, and that the credentials may call eks:DescribeCluster.");
        return body;
    }
}
