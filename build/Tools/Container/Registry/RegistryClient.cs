using System.Net;
using System.Net.Http.Headers;
using CloudAge.Common.Net;
using CloudAge.Common.Resilience;
using CloudAge.Common.Secrets;
using CloudAge.Common.Text;
using Polly;

namespace CloudAge.Tools.Container.Registry;

/// <summary>
/// A small OCI distribution client: what the push needs to check before and verify after (manifest digests by tag),
/// with Basic auth or the Bearer token challenge flow as the registry's <c>WWW-Authenticate</c> demands.
/// </summary>
public sealed partial class RegistryClient : IDisposable
{
    // Without every manifest type in Accept, distribution converts to schema 1 and answers another digest.
    private static readonly string[] ManifestTypes =
    [
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.oci.image.index.v1+json",
    ];

    private readonly HttpClient _http;
    private readonly RegistryCredentials? _credentials;
    private readonly SecretMasker _masker;
    private readonly Action<string> _log;
    private readonly RetryPolicy _retry;
    private readonly TokenAuthenticator _tokens;
    private readonly TimeSpan _stallTimeout;
    private AuthenticationHeaderValue? _authorization;

    public RegistryClient(string registry, RegistryCredentials? credentials, SecretMasker masker, Action<string> log, RegistryClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(masker);
        options ??= new RegistryClientOptions();
        Registry = registry;
        _credentials = credentials;
        _masker = masker;
        _log = log;
        _retry = options.Retry;
        _stallTimeout = options.StallTimeout;
        credentials?.AddTo(masker);
        var https = options.UseHttps ?? !IsLoopback(registry);
        BaseAddress = new Uri($"{(https ? "https" : "http")}://{registry}/");
        // Redirects drop the credentials on another origin and answers are capped in size (SafeHttp). No cookies are kept:
        // Harbor takes a request that carries its session cookie for a browser's and then refuses every POST, PATCH and
        // PUT under /v2/ without a CSRF token, 403 "CSRF token invalid" (goharbor/harbor src/server/middleware/csrf/csrf.go,
        // csrfSkipper; session/session.go), so a client that keeps the cookie of its first answer cannot push there
        // (dotnet/sdk #37221 turned cookies off for that; the Docker engine's registry client keeps none either).
        _http = new HttpClient(options.Handler ?? SafeHttp.CreateHandler(inner: new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), UseCookies = false }),
            disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _tokens = new TokenAuthenticator(_http, credentials, masker, _retry, LogRedacted);
    }

    /// <summary>The registry as <c>host[:port]</c>, the way image references name it.</summary>
    public string Registry { get; }

    public Uri BaseAddress { get; }

    /// <summary>The digest the registry holds for <paramref name="reference"/> (a tag or digest), or null when it has none.</summary>
    public async Task<string?> GetManifestDigestAsync(string repository, string reference, CancellationToken cancellationToken = default)
    {
        var uri = new Uri(BaseAddress, $"v2/{repository}/manifests/{reference}");
        using var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Head, uri);
            foreach (var type in ManifestTypes)
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            return request;
        }, $"repository:{repository}:pull", cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        await EnsureSuccessAsync(response, $"HEAD {uri}", cancellationToken).ConfigureAwait(false);
        if (response.Headers.TryGetValues("Docker-Content-Digest", out var values))
            return values.First();
        // Registries of earlier spec versions need not send it (distribution-spec spec.md, "Checking if content exists in
        // the registry", implementers note): the manifest is read and its bytes' digest taken.
        var manifest = await GetManifestAsync(repository, reference, cancellationToken).ConfigureAwait(false);
        if (manifest is not null && !ManifestTypes.Contains(manifest.MediaType))
            throw new ContainerException($"Registry {Registry} answered HEAD {uri} without a Docker-Content-Digest header and GET with {PeerText.OneLine(manifest.MediaType, 100)}, not a manifest; it does not look like an OCI distribution registry. Check the registry address.");
        return manifest?.Digest;
    }

    /// <summary>Checks that the registry answers and accepts the credentials (<c>GET /v2/</c>).</summary>
    public async Task CheckAccessAsync(CancellationToken cancellationToken = default)
    {
        var uri = new Uri(BaseAddress, "v2/");
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, uri), null, cancellationToken).ConfigureAwait(false);
        // A registry answers GET /v2/ with 200, or 401 to ask for credentials (distribution-spec spec.md, "Determining
        // Support": "If the response is 200 OK, then the registry implements this specification", and the endpoint table,
        // end-1: 200; 404/401): a 404 there is a web server or proxy at that address, not a registry.
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new ContainerException(_masker.Redact($"Registry {Registry} answered GET {uri} with {await RegistryErrors.DescribeAsync(response, cancellationToken).ConfigureAwait(false)}: " +
                "no OCI registry answers at that address (a registry answers that request with 200, or 401 to ask for credentials). Check the registry's host[:port]; a web server or proxy answers there instead."));
        await EnsureSuccessAsync(response, $"GET {uri}", cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _http.Dispose();

    /// <param name="retryAnswersFromElsewhere">False when an answer from another origin (where the registry redirected)
    /// is not the registry's own and is taken as it is, however transient its status looks.</param>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create, string? scope, CancellationToken cancellationToken, bool retryAnswersFromElsewhere = true)
    {
        string call;
        using (var probe = create())
            call = probe.RequestUri?.GetLeftPart(UriPartial.Path) ?? "";
        var response = await SendWithRetriesAsync(token => TrySendAsync(create, watched: false, token), call, upload: false, cancellationToken, retryAnswersFromElsewhere).ConfigureAwait(false);
        return await TakeChallengeAsync(response, scope, cancellationToken).ConfigureAwait(false)
            ? await SendWithRetriesAsync(token => TrySendAsync(create, watched: false, token), call, upload: false, cancellationToken, retryAnswersFromElsewhere).ConfigureAwait(false)
            : response;
    }

    // One try of one step of a larger unit that is retried as a whole (a blob upload), under the stall rule.
    private async Task<HttpResponseMessage> SendOnceAsync(Func<HttpRequestMessage> create, string scope, CancellationToken cancellationToken)
    {
        var response = await TrySendAsync(create, watched: true, cancellationToken).ConfigureAwait(false);
        return await TakeChallengeAsync(response, scope, cancellationToken).ConfigureAwait(false)
            ? await TrySendAsync(create, watched: true, cancellationToken).ConfigureAwait(false)
            : response;
    }

    // True when the answer was the registry's challenge and credentials for it are now set: the caller sends again.
    private async Task<bool> TakeChallengeAsync(HttpResponseMessage response, string? scope, CancellationToken cancellationToken)
    {
        // Only the registry's own 401 starts the auth flow: a host it redirected to (or an upload location elsewhere)
        // would otherwise choose the token service the credentials are sent to.
        if (response.StatusCode != HttpStatusCode.Unauthorized || !IsRegistry(response.RequestMessage?.RequestUri) || response.Headers.WwwAuthenticate.Count == 0)
            return false;
        // A Bearer challenge is taken without credentials too: the token service gives an anonymous client what it may
        // do, a pull token for a public repository on GHCR or Docker Hub (distribution docs/content/spec/auth/token.md:
        // "which may simply be an anonymous client"). Basic needs credentials to send.
        // Of several challenges Bearer is taken, wherever it stands, as Docker's client does (it tries its token handler
        // before its basic one: distribution v2.8 registry/client/auth/session.go, endpointAuthorizer.ModifyRequest).
        var bearer = response.Headers.WwwAuthenticate.FirstOrDefault(c => c.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase));
        if (bearer is null && _credentials is null)
            return false;
        response.Dispose();
        _authorization = bearer is not null
            ? await _tokens.AuthorizeAsync(bearer, scope, BaseAddress, cancellationToken).ConfigureAwait(false)
            : _credentials!.Basic();
        return true;
    }

    /// <param name="call">What is sent, for the messages: a URL, or a phrase naming the blob an upload carries.</param>
    /// <param name="upload">A try has no time limit (the stall rule bounds it), and the retry lines name the upload.</param>
    private async Task<HttpResponseMessage> SendWithRetriesAsync(Func<CancellationToken, Task<HttpResponseMessage>> attempt, string call, bool upload,
        CancellationToken cancellationToken, bool retryAnswersFromElsewhere = true)
    {
        var pipeline = _retry.HttpPipeline(
            outcome => outcome.Exception is UploadStalledException || outcome.Exception is HttpRequestException e && !SafeHttp.IsTlsFailure(e)
                || outcome.Result is { } r && RegistryErrors.IsTransient(r.StatusCode) && (retryAnswersFromElsewhere || IsRegistry(r.RequestMessage?.RequestUri)),
            LogRedacted, upload ? $"Registry {Registry}, {call}" : $"Registry {Registry}", upload ? null : _retry.AttemptTimeoutOrDefault());
        try
        {
            return await pipeline.ExecuteAsync(async token => await attempt(token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (SafeHttp.IsTlsFailure(e))
        {
            throw new ContainerException(_masker.Redact(
                $"Registry {Registry}: the TLS connection for {call} failed ({e.GetBaseException().Message}). Check the registry's certificate, or that the address is right."), e);
        }
        catch (Polly.Timeout.TimeoutRejectedException e)
        {
            throw new ContainerException(_masker.Redact(
                $"Registry {Registry} did not answer {call} within {_retry.AttemptTimeoutOrDefault().TotalSeconds:0} s, in each of {_retry.MaxAttempts} tries. Check that the registry runs and that the address is right."), e);
        }
        catch (HttpRequestException e)
        {
            throw new ContainerException(_masker.Redact(
                $"Registry {Registry} did not answer {call} after {_retry.MaxAttempts} tries: {e.GetBaseException().Message}. Check that the registry runs and that the address is right."), e);
        }
    }

    // One try of one request. The registry's credentials go to the registry only: an upload location may name other
    // storage (S3-style), which authorizes by its signed URL and has no business with the registry's credentials.
    private async Task<HttpResponseMessage> TrySendAsync(Func<HttpRequestMessage> create, bool watched, CancellationToken cancellationToken)
    {
        using var request = create();
        if (IsRegistry(request.RequestUri))
            request.Headers.Authorization = _authorization;
        if (!watched)
            return await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        // An upload try has no time limit, since a large layer on a slow link takes what it takes; it is cut when no
        // byte moves (or no answer comes) for the stall timeout, the same rule as the engine push.
        using var watch = new StallWatch(_stallTimeout, cancellationToken);
        if (request.Content is { } body)
            request.Content = new WatchedContent(body, watch);
        try
        {
            return await _http.SendAsync(request, watch.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (watch.Stalled)
        {
            throw new UploadStalledException(_stallTimeout);
        }
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string call, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
            return;
        var answer = _masker.Redact(await RegistryErrors.DescribeAsync(response, cancellationToken).ConfigureAwait(false));
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            throw new ContainerException(_credentials is null
                ? $"Registry {Registry} refused {call} without credentials ({answer}); pass a username and password for it."
                : $"Registry {Registry} refused the credentials of user '{_credentials.Username}' for {call} ({answer}); check the username and password.");
        if (ContainerRetry.AsksTooLong(response))
            throw new ContainerException($"Registry {Registry} answered {call} with {answer}, and asks for a pause of {ContainerRetry.AskedPause(response)!.Value.TotalSeconds:0} s before another try; try again after that.");
        if (RegistryErrors.IsTransient(response.StatusCode))
            throw new ContainerException($"Registry {Registry} answered {call} with {answer}, in each of {_retry.MaxAttempts} tries; it is failing or overloaded, so try again later.");
        throw new ContainerException($"Registry {Registry} answered {call} with {answer}.");
    }

    private bool IsRegistry(Uri? uri) => uri is not null && SafeHttp.Origin(uri) == SafeHttp.Origin(BaseAddress);

    private void LogRedacted(string line) => _log(_masker.Redact(line));

    private static bool IsLoopback(string registry)
    {
        var host = registry.StartsWith('[') ? registry[1..registry.IndexOf(']', StringComparison.Ordinal)] : registry.Split(':')[0];
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }
}
