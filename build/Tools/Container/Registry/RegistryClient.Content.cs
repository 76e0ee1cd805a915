using System.Net;
using System.Net.Http.Headers;
using CloudAge.Common.Net;
using CloudAge.Tools.Container.Oci;

namespace CloudAge.Tools.Container.Registry;

/// <summary>A manifest as the registry holds it: its bytes, media type and digest.</summary>
public sealed record RegistryManifest(string MediaType, string Digest, byte[] Content);

// The content calls of the OCI distribution spec (v1.1) that a multi-platform push and its attached artifacts need:
// blobs (HEAD, upload, GET), manifests by tag or digest (GET, PUT) and the referrers API.
public sealed partial class RegistryClient
{
    private static string PushScope(string repository) => $"repository:{repository}:pull,push";

    private static string PullScope(string repository) => $"repository:{repository}:pull";

    /// <summary>True when the repository already holds the blob (<c>HEAD /v2/&lt;name&gt;/blobs/&lt;digest&gt;</c>), so it need not be uploaded.</summary>
    public async Task<bool> BlobExistsAsync(string repository, string digest, CancellationToken cancellationToken = default)
    {
        var uri = new Uri(BaseAddress, $"v2/{repository}/blobs/{digest}");
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Head, uri), PushScope(repository), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return false;
        await EnsureSuccessAsync(response, $"HEAD {uri}", cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Uploads a blob as the Docker engine does, which every registry (ECR included) takes: <c>POST</c> opens a session,
    /// one <c>PATCH</c> sends the bytes, <c>PUT ?digest=</c> closes it; the registry checks the digest.
    /// </summary>
    public async Task UploadBlobAsync(string repository, string digest, Func<Stream> open, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(open);
        var start = new Uri(BaseAddress, $"v2/{repository}/blobs/uploads/");
        var call = $"the upload of blob {digest} ({Redacted(start)})";
        // A try is the whole upload, in a new session: a PATCH cut short leaves its session holding part of the blob at an
        // offset only the registry knows, and the same PATCH sent again from byte 0 is refused there (distribution:
        // 404 BLOB_UPLOAD_INVALID, "upload resumed at wrong offset").
        try
        {
            using var response = await SendWithRetriesAsync(token => UploadOnceAsync(repository, start, digest, open, token), call, upload: true, cancellationToken).ConfigureAwait(false);
            // The step that failed, if one did: its method and session, without the session's state token.
            var step = response.RequestMessage is { RequestUri: { } asked } request ? $"the upload of blob {digest} ({request.Method} {Redacted(asked)})" : call;
            await EnsureSuccessAsync(response, step, cancellationToken).ConfigureAwait(false);
        }
        catch (UploadStalledException e)
        {
            throw new ContainerException(_masker.Redact(
                $"Uploading blob {digest} to registry {Registry} ({Redacted(start)}) stalled: no progress for {e.Timeout.TotalSeconds:0} s, after {_retry.MaxAttempts} tries. " +
                "Check the registry and the network path to it (a proxy or firewall that drops long uploads)."), e);
        }
    }

    // One try of an upload: the first answer that is not a success, or the closing PUT's.
    private async Task<HttpResponseMessage> UploadOnceAsync(string repository, Uri start, string digest, Func<Stream> open, CancellationToken cancellationToken)
    {
        var scope = PushScope(repository);
        var response = await SendOnceAsync(() => new HttpRequestMessage(HttpMethod.Post, start) { Content = new ByteArrayContent([]) }, scope, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            return response;
        var location = NextLocation(response, start);
        response = await SendOnceAsync(() =>
        {
            var content = new StreamContent(open());
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            return new HttpRequestMessage(HttpMethod.Patch, location) { Content = content };
        }, scope, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            return response;
        location = NextLocation(response, location);
        var separator = location.Query.Length > 0 ? "&" : "?";
        var finish = new Uri(location.AbsoluteUri + separator + "digest=" + Uri.EscapeDataString(digest));
        return await SendOnceAsync(() => new HttpRequestMessage(HttpMethod.Put, finish) { Content = new ByteArrayContent([]) }, scope, cancellationToken).ConfigureAwait(false);
    }

    private Uri NextLocation(HttpResponseMessage response, Uri requested)
    {
        using (response)
            return UploadLocation(response, requested);
    }

    /// <summary>A blob's bytes (small ones: configs, SBOMs, attestations). Redirects (ECR answers with S3 URLs) are followed without the Authorization header.</summary>
    public async Task<byte[]> GetBlobAsync(string repository, string digest, CancellationToken cancellationToken = default)
    {
        var uri = new Uri(BaseAddress, $"v2/{repository}/blobs/{digest}");
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, uri), PullScope(repository), cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, $"GET {uri}", cancellationToken).ConfigureAwait(false);
        var content = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (OciDescriptor.Sha256(content) != digest)
            throw new ContainerException($"Registry {Registry} answered GET {uri} with content whose digest is {OciDescriptor.Sha256(content)}, not {digest}.");
        return content;
    }

    /// <summary>The manifest or index a tag or digest names, or null when the registry has none.</summary>
    public async Task<RegistryManifest?> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken = default)
    {
        var uri = new Uri(BaseAddress, $"v2/{repository}/manifests/{reference}");
        using var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, uri);
            foreach (var type in ManifestTypes)
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            return request;
        }, PullScope(repository), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        await EnsureSuccessAsync(response, $"GET {uri}", cancellationToken).ConfigureAwait(false);
        var content = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var digest = OciDescriptor.Sha256(content);
        if (reference.StartsWith("sha256:", StringComparison.Ordinal) && reference != digest)
            throw new ContainerException($"Registry {Registry} answered GET {uri} with a manifest whose digest is {digest}.");
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? OciMediaTypes.ImageManifest;
        return new RegistryManifest(mediaType, digest, content);
    }

    /// <summary>
    /// Puts a manifest under a tag or its digest and returns the digest the registry computed. <c>SubjectProcessed</c> is
    /// the registry's <c>OCI-Subject</c> answer: it indexes the manifest's subject itself (referrers API), so no fallback tag is needed.
    /// </summary>
    public async Task<(string Digest, bool SubjectProcessed)> PutManifestAsync(string repository, string reference, string mediaType, byte[] content, CancellationToken cancellationToken = default)
    {
        var uri = new Uri(BaseAddress, $"v2/{repository}/manifests/{reference}");
        using var response = await SendAsync(() =>
        {
            var body = new ByteArrayContent(content);
            body.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            return new HttpRequestMessage(HttpMethod.Put, uri) { Content = body };
        }, PushScope(repository), cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, $"PUT {uri}", cancellationToken).ConfigureAwait(false);
        var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.First() : OciDescriptor.Sha256(content);
        return (digest, response.Headers.Contains("OCI-Subject"));
    }

    /// <summary>
    /// The artifacts referring to <paramref name="digest"/> through the referrers API (<c>GET /v2/&lt;name&gt;/referrers/&lt;digest&gt;</c>),
    /// or null when the registry does not have that API (it answers 404, as distribution 2.8 does, or anything else but 2xx, 401 and 403, or
    /// redirects to another origin; one that has it answers 200, empty or not).
    /// A paged answer is followed through its <c>Link: &lt;…&gt;; rel="next"</c> header (distribution-spec v1.1, "Listing Referrers"),
    /// on the registry's own origin only and for at most <see cref="MaxReferrerPages"/> pages.
    /// </summary>
    public async Task<OciIndex?> GetReferrersAsync(string repository, string digest, CancellationToken cancellationToken = default)
    {
        var uri = new Uri(BaseAddress, $"v2/{repository}/referrers/{digest}");
        var manifests = new List<OciDescriptor>();
        for (var page = 1; ; page++)
        {
            using var response = await SendAsync(() =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, uri);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(OciMediaTypes.ImageIndex));
                return request;
            }, PullScope(repository), cancellationToken, retryAnswersFromElsewhere: page > 1).ConfigureAwait(false);
            if (page == 1 && await HasNoReferrersApiAsync(response, uri, cancellationToken).ConfigureAwait(false))
                return null;
            await EnsureSuccessAsync(response, $"GET {uri}", cancellationToken).ConfigureAwait(false);
            var contentType = response.Content.Headers.ContentType?.MediaType;
            if (contentType is not null && contentType != OciMediaTypes.ImageIndex)
                return page == 1 ? null : throw new ContainerException($"Registry {Registry} answered page {page} of the referrers of {repository}@{digest} with {contentType}, not an image index.");
            var listed = OciJson.Deserialize<OciIndex>(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false), $"The referrers list of {repository}@{digest}");
            manifests.AddRange(listed.Manifests ?? []);
            if (NextPage(response, uri) is not { } next)
                return listed with { Manifests = manifests };
            if (next.Scheme != BaseAddress.Scheme || next.Authority != BaseAddress.Authority)
                throw new ContainerException($"Registry {Registry} points the next page of the referrers of {repository}@{digest} at another origin ({next.Scheme}://{next.Authority}); it is not followed, so credentials stay with the registry.");
            if (page == MaxReferrerPages)
                throw new ContainerException($"Registry {Registry} lists the referrers of {repository}@{digest} over more than {MaxReferrerPages} pages; stopped there.");
            uri = next;
        }
    }

    // The spec's answer from a registry without the API is 404; others answer in their own ways (GHCR has redirected to
    // github.com, which answered 429; another answers 406). Only the registry's own refusal of the credentials is an error.
    private async Task<bool> HasNoReferrersApiAsync(HttpResponseMessage response, Uri uri, CancellationToken cancellationToken)
    {
        var elsewhere = response.RequestMessage?.RequestUri is { } answeredBy && !IsRegistry(answeredBy) ? SafeHttp.Origin(answeredBy) : null;
        if (elsewhere is null && (response.IsSuccessStatusCode || response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
            return false;
        if (elsewhere is null && response.StatusCode == HttpStatusCode.NotFound)
            return true;
        var answer = await RegistryErrors.DescribeAsync(response, cancellationToken).ConfigureAwait(false);
        var from = elsewhere is null ? "" : $" from {elsewhere}, where it redirected,";
        LogRedacted($"Registry {Registry} answered GET {uri.GetLeftPart(UriPartial.Path)}{from} with {answer}: taken as a registry without the referrers API, so the referrers tag is read instead.");
        return true;
    }

    /// <summary>The most pages of one referrers list that are read (at the spec's suggested 10 per page, 1,000 artifacts).</summary>
    public const int MaxReferrerPages = 100;

    // RFC 8288: Link: <uri-reference>; rel="next", possibly among other links; the reference is resolved against the request.
    private static Uri? NextPage(HttpResponseMessage response, Uri requested) =>
        response.Headers.TryGetValues("Link", out var values) ? LinkHeader.Next(values, requested) : null;

    private Uri UploadLocation(HttpResponseMessage response, Uri requested)
    {
        var location = response.Headers.Location
            ?? throw new ContainerException($"Registry {Registry} answered an upload step at {Redacted(requested)} without a Location header; it does not look like an OCI distribution registry.");
        // A relative Location is resolved against the request it answers (RFC 9110 10.2.2; distribution v2.8
        // registry/client/repository.go sanitizeLocation), not the registry: a PATCH on upload storage elsewhere is
        // answered with a path on that storage.
        var resolved = location.IsAbsoluteUri ? location : new Uri(requested, location);
        // The layer goes where the registry says, but never less protected than the registry itself.
        if (resolved.Scheme != Uri.UriSchemeHttps && (resolved.Scheme != Uri.UriSchemeHttp || BaseAddress.Scheme == Uri.UriSchemeHttps))
            throw new ContainerException($"Registry {Registry} named an upload location on {resolved.GetLeftPart(UriPartial.Authority)}, which is not https like the registry; the layer is not sent there, since it would travel unencrypted. Check the registry's storage or proxy configuration.");
        return resolved;
    }

    // Upload locations carry state tokens (ECR: signed); only the path is worth showing.
    private static string Redacted(Uri location) => location.GetLeftPart(UriPartial.Path);
}
