using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CloudAge.Testing;

/// <summary>
/// A registry with the OCI 1.1 referrers API, as ECR has it: the real distribution 2.8 registry (which has none) with
/// this loopback proxy in front, adding what the distribution spec v1.1 (opencontainers/distribution-spec spec.md,
/// "Pushing Manifests with Subject" and "Listing Referrers") asks of a registry that has the API. Modelled, with the rule:
/// <list type="bullet">
/// <item>a manifest PUT whose body has a <c>subject</c> is answered with <c>OCI-Subject: &lt;subject digest&gt;</c>, and
/// the manifest is indexed under its subject (the subject need not exist);</item>
/// <item><c>GET /v2/&lt;name&gt;/referrers/&lt;digest&gt;</c> is answered 200 with an image index
/// (<c>application/vnd.oci.image.index.v1+json</c>), empty when nothing refers to the digest: a registry with the API
/// "MUST NOT return a 404"; a reference that is not a digest is 400 <c>DIGEST_INVALID</c>;</item>
/// <item>each listed descriptor carries the referring manifest's media type, digest, size, <c>artifactType</c> (or its
/// config's media type when it has none) and its annotations;</item>
/// <item><c>?artifactType=</c> filters, and the answer says so with <c>OCI-Filters-Applied: artifactType</c>;</item>
/// <item>long lists are paged: <see cref="PageSize"/> entries per answer and a <c>Link: &lt;…&gt;; rel="next"</c> header;</item>
/// <item>the list is read with the repository's pull rights: the registry's own auth answer (401 and its challenge) is relayed;</item>
/// <item>a manifest DELETE by digest drops it from the list.</item>
/// </list>
/// Everything else is forwarded unchanged to the real registry.
/// </summary>
public sealed partial class ReferrersApiProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
    private readonly string _target;
    private readonly ConcurrentDictionary<(string Repository, string Subject), ConcurrentDictionary<string, JsonObject>> _referrers = new();
    private readonly ConcurrentQueue<string> _requests = new();

    private readonly string? _linkOrigin;
    private readonly bool _silentSubject;

    private ReferrersApiProxy(string upstream, int pageSize, string? linkOrigin, bool silentSubject)
    {
        _target = upstream;
        PageSize = pageSize;
        _linkOrigin = linkOrigin;
        _silentSubject = silentSubject;
        _app = LoopbackWebApp.Create(HandleAsync);
    }

    /// <summary>Starts the proxy in front of the registry at <paramref name="upstream"/> (host:port).</summary>
    /// <param name="linkOrigin">Not the spec: an origin (<c>http://host:port</c>) the next-page links point at instead of
    /// this registry, as a hostile or misconfigured registry might, to prove credentials are not sent there.</param>
    /// <param name="silentSubject">Not the spec: the subject is indexed but the PUT is answered without
    /// <c>OCI-Subject</c>, as Harbor before 2.9 answered (goharbor/harbor #18865).</param>
    public static async Task<ReferrersApiProxy> StartAsync(string upstream, int pageSize = 10, string? linkOrigin = null, bool silentSubject = false)
    {
        var proxy = new ReferrersApiProxy(upstream, pageSize, linkOrigin, silentSubject);
        await proxy._app.StartAsync();
        return proxy;
    }

    /// <summary>How many descriptors one referrers answer holds at most (the spec suggests no number; ECR pages too).</summary>
    public int PageSize { get; }

    public string Address => $"127.0.0.1:{new Uri(_app.Urls.First()).Port}";

    /// <summary>Every request as "METHOD path?query", in order.</summary>
    public IReadOnlyList<string> Requests => _requests.ToArray();

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        _requests.Enqueue($"{request.Method} {request.Path}{request.QueryString}");
        var path = request.Path.Value ?? "";
        if (ReferrersPath().Match(path) is { Success: true } referrers && request.Method is "GET" or "HEAD")
        {
            await ListAsync(context, referrers.Groups["name"].Value, referrers.Groups["reference"].Value);
            return;
        }
        if (ManifestPath().Match(path) is { Success: true } manifest)
        {
            var name = manifest.Groups["name"].Value;
            if (request.Method == "PUT")
            {
                await PutManifestAsync(context, name);
                return;
            }
            if (request.Method == "DELETE")
            {
                await ProxyForwarding.ForwardAsync(_upstream, context, _target, amend: (response, _) =>
                {
                    if (response.StatusCode == HttpStatusCode.Accepted)
                        foreach (var list in _referrers.Where(r => r.Key.Repository == name))
                            list.Value.TryRemove(manifest.Groups["reference"].Value, out JsonObject? _);
                });
                return;
            }
        }
        await ProxyForwarding.ForwardAsync(_upstream, context, _target);
    }

    private async Task PutManifestAsync(HttpContext context, string name)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        JsonObject? document = null;
        try
        {
            document = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            // Not JSON: the registry behind says what is wrong with it.
        }
        var subject = document?["subject"]?["digest"]?.GetValue<string>();
        await ProxyForwarding.ForwardAsync(_upstream, context, _target, body, (response, answer) =>
        {
            if (response.StatusCode != HttpStatusCode.Created || subject is null || document is null)
                return;
            var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.First() : null;
            if (digest is null)
                return;
            var descriptor = new JsonObject
            {
                ["mediaType"] = document["mediaType"]?.GetValue<string>() ?? context.Request.ContentType,
                ["digest"] = digest,
                ["size"] = body.Length,
            };
            if ((document["artifactType"] ?? document["config"]?["mediaType"])?.GetValue<string>() is { } artifactType)
                descriptor["artifactType"] = artifactType;
            if (document["annotations"] is JsonObject annotations)
                descriptor["annotations"] = annotations.DeepClone();
            _referrers.GetOrAdd((name, subject), _ => new())[digest] = descriptor;
            if (!_silentSubject)
                answer.Headers["OCI-Subject"] = subject;
        });
    }

    private async Task ListAsync(HttpContext context, string name, string reference)
    {
        var response = context.Response;
        if (!DigestReference().IsMatch(reference))
        {
            await ErrorAsync(response, 400, "DIGEST_INVALID", "the referrers of a manifest are listed by its digest");
            return;
        }
        // The list is read with pull rights on the repository: the registry's answer to the same credentials decides.
        using (var check = new HttpRequestMessage(HttpMethod.Get, $"http://{_target}/v2/"))
        {
            if (context.Request.Headers.Authorization is { Count: > 0 } authorization)
                check.Headers.TryAddWithoutValidation("Authorization", authorization.ToArray());
            using var answer = await _upstream.SendAsync(check, context.RequestAborted);
            if (answer.StatusCode != HttpStatusCode.OK)
            {
                response.StatusCode = (int)answer.StatusCode;
                if (answer.Headers.WwwAuthenticate.Count > 0)
                    response.Headers.WWWAuthenticate = answer.Headers.WwwAuthenticate.ToString();
                await ErrorAsync(response, (int)answer.StatusCode, "UNAUTHORIZED", "authentication required");
                return;
            }
        }
        var query = context.Request.Query;
        var all = _referrers.TryGetValue((name, reference), out var found) ? found.Values.OrderBy(d => d["digest"]!.GetValue<string>(), StringComparer.Ordinal).ToList() : [];
        if (query["artifactType"].FirstOrDefault() is { Length: > 0 } wanted)
        {
            all = all.Where(d => d["artifactType"]?.GetValue<string>() == wanted).ToList();
            response.Headers["OCI-Filters-Applied"] = "artifactType";
        }
        if (query["last"].FirstOrDefault() is { Length: > 0 } last)
            all = all.SkipWhile(d => string.CompareOrdinal(d["digest"]!.GetValue<string>(), last) <= 0).ToList();
        var size = int.TryParse(query["n"].FirstOrDefault(), out var n) && n > 0 ? Math.Min(n, PageSize) : PageSize;
        var page = all.Take(size).ToList();
        if (all.Count > size)
        {
            var next = $"/v2/{name}/referrers/{reference}?n={size}&last={Uri.EscapeDataString(page[^1]["digest"]!.GetValue<string>())}";
            if (query["artifactType"].FirstOrDefault() is { Length: > 0 } type)
                next += "&artifactType=" + Uri.EscapeDataString(type);
            response.Headers["Link"] = $"<{_linkOrigin}{next}>; rel=\"next\"";
        }
        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.index.v1+json",
            ["manifests"] = new JsonArray(page.Select(d => (JsonNode)d.DeepClone()).ToArray()),
        };
        response.StatusCode = 200;
        response.ContentType = "application/vnd.oci.image.index.v1+json";
        if (context.Request.Method != "HEAD")
            await response.WriteAsync(index.ToJsonString());
    }

    private static async Task ErrorAsync(HttpResponse response, int status, string code, string message)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        await response.WriteAsync(new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["code"] = code, ["message"] = message }) }.ToJsonString());
    }

    [GeneratedRegex("^/v2/(?<name>.+)/referrers/(?<reference>[^/]+)$")]
    private static partial Regex ReferrersPath();

    [GeneratedRegex("^/v2/(?<name>.+)/manifests/(?<reference>[^/]+)$")]
    private static partial Regex ManifestPath();

    [GeneratedRegex("^sha256:[a-f0-9]{64}$")]
    private static partial Regex DigestReference();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
