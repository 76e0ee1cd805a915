using System.Text;
using CloudAge.Common.Secrets;
using CloudAge.Tools.Aws.Credentials;
using CloudAge.Tools.Aws.Ecr;
using CloudAge.Tools.Aws.Signing;

namespace CloudAge.Tools.Aws.Eks;

/// <summary>A bearer token for an EKS cluster's API server; <see cref="ToString"/> never shows it.</summary>
public sealed record EksToken(string Token, DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"EksToken {{ Token = ***, ExpiresAt = {ExpiresAt:O} }}";
}

/// <summary>
/// Makes the token <c>aws eks get-token</c> makes: an STS GetCallerIdentity URL presigned for 60 seconds with
/// the cluster name signed in as header <c>x-k8s-aws-id</c>, base64url-encoded without padding, prefixed
/// <c>k8s-aws-v1.</c>. No network call: the API server sends the URL to STS itself.
/// </summary>
public sealed class EksTokenGenerator(SecretMasker masker, TimeProvider? timeProvider = null)
{
    public const string Prefix = "k8s-aws-v1.";
    internal const string ClusterHeader = "x-k8s-aws-id";

    // The presigned URL lives 60 s at STS; the CLI tells clients to refresh after 14 minutes, and so does this.
    private static readonly TimeSpan UrlLifetime = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(14);

    /// <param name="stsEndpoint">Overrides the regional STS endpoint (<c>https://sts.&lt;region&gt;.amazonaws.com</c>).</param>
    public async Task<EksToken> GenerateAsync(AwsSession session, string clusterName, Uri? stsEndpoint = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterName);
        var keys = await CredentialKeys.GetAsync(session.Credentials, masker).ConfigureAwait(false);
        var now = (timeProvider ?? TimeProvider.System).GetUtcNow();
        var baseUri = new UriBuilder(stsEndpoint ?? AwsEndpoints.Sts(session.Region)) { Query = "Action=GetCallerIdentity&Version=2011-06-15" }.Uri;
        var presigned = SigV4RequestSigner.Presign(baseUri, new Dictionary<string, string> { [ClusterHeader] = clusterName },
            keys, session.Region, "sts", now, UrlLifetime);
        var token = Prefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(presigned.AbsoluteUri))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        masker.Add(token);
        return new EksToken(token, now + TokenLifetime);
    }
}
