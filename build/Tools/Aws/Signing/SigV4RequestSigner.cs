using System.Globalization;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;

namespace CloudAge.Tools.Aws.Signing;

/// <summary>
/// Signs HTTP requests with AWS Signature Version 4. The canonical request is built here from the
/// <see cref="HttpRequestMessage"/>; the signing key and signature come from AWSSDK.Core's
/// <see cref="AWS4Signer"/>, the code the AWS SDK itself signs with. Every ECR call and the EKS token go
/// through this class, and the official test vectors are checked against it.
/// </summary>
public static class SigV4RequestSigner
{
    internal const string DateHeader = "X-Amz-Date";
    internal const string SecurityTokenHeader = "X-Amz-Security-Token";

    /// <summary>Adds X-Amz-Date, X-Amz-Security-Token (for session credentials) and Authorization to the request.</summary>
    public static async Task SignAsync(HttpRequestMessage request, ImmutableCredentials credentials, string region, string service,
        DateTimeOffset signedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(credentials);
        var uri = request.RequestUri ?? throw new ArgumentException("The request has no URI to sign.", nameof(request));
        request.Headers.Remove(DateHeader);
        request.Headers.TryAddWithoutValidation(DateHeader, FormatTimestamp(signedAt));
        request.Headers.Remove(SecurityTokenHeader);
        if (credentials.UseToken)
            request.Headers.TryAddWithoutValidation(SecurityTokenHeader, credentials.Token);

        var headers = new List<KeyValuePair<string, string>> { new("host", request.Headers.Host ?? HostOf(uri)) };
        headers.AddRange(request.Headers.Where(h => !h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase))
            .Select(h => new KeyValuePair<string, string>(h.Key, string.Join(',', h.Value))));
        byte[] body = [];
        if (request.Content is not null)
        {
            body = await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            // Content-Length is computed by the transport and Content-Type is what services check; sign only the latter.
            if (request.Content.Headers.ContentType is { } contentType)
                headers.Add(new("content-type", contentType.ToString()));
        }

        var canonical = CanonicalRequest.Build(request.Method.Method, uri, CanonicalRequest.Query(uri), headers, Sha256Hex(body));
        var result = AWS4Signer.ComputeSignature(credentials, region, signedAt.UtcDateTime, service, canonical.SignedHeaders, canonical.Text);
        request.Headers.TryAddWithoutValidation("Authorization", result.ForAuthorizationHeader);
    }

    /// <summary>
    /// Returns <paramref name="uri"/> presigned in its query string (X-Amz-Algorithm ... X-Amz-Signature), with
    /// <paramref name="headersToSign"/> (and host) in the signature: the caller must send the same headers.
    /// </summary>
    public static Uri Presign(Uri uri, IReadOnlyDictionary<string, string> headersToSign, ImmutableCredentials credentials,
        string region, string service, DateTimeOffset signedAt, TimeSpan expires)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(headersToSign);
        ArgumentNullException.ThrowIfNull(credentials);
        var headers = new List<KeyValuePair<string, string>> { new("host", HostOf(uri)) };
        headers.AddRange(headersToSign);
        var signedHeaders = CanonicalRequest.SignedHeaderList(headers);
        var scope = $"{signedAt.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}/{region}/{service}/aws4_request";
        var query = CanonicalRequest.Query(uri);
        query.Add(new("X-Amz-Algorithm", "AWS4-HMAC-SHA256"));
        query.Add(new("X-Amz-Credential", $"{credentials.AccessKey}/{scope}"));
        query.Add(new("X-Amz-Date", FormatTimestamp(signedAt)));
        query.Add(new("X-Amz-Expires", ((long)expires.TotalSeconds).ToString(CultureInfo.InvariantCulture)));
        query.Add(new("X-Amz-SignedHeaders", signedHeaders));
        if (credentials.UseToken)
            query.Add(new("X-Amz-Security-Token", credentials.Token));

        var canonical = CanonicalRequest.Build("GET", uri, query, headers, Sha256Hex([]));
        var result = AWS4Signer.ComputeSignature(credentials, region, signedAt.UtcDateTime, service, canonical.SignedHeaders, canonical.Text);
        query.Add(new("X-Amz-Signature", result.Signature));
        return new UriBuilder(uri) { Query = CanonicalRequest.FormatQuery(query) }.Uri;
    }

    internal static string FormatTimestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    private static string HostOf(Uri uri) => uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";

    private static string Sha256Hex(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));
}
