using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CloudAge.Common.Secrets;
using CloudAge.Tools.GitOps.Kubernetes;
using Polly;

namespace CloudAge.Tools.GitOps.ArgoCd;

/// <summary>Argo CD over its REST API (<c>/api/v1/applications</c>), authenticated with a bearer token.</summary>
public sealed class ArgoRestApi : IArgoApplicationApi, IDisposable
{
    private readonly HttpClient _http;
    private readonly SecretMasker _masker;
    private readonly ResiliencePipeline _pipeline;
    // A refresh is one try: the server answers it only once the controller has refreshed (below).
    private readonly ResiliencePipeline _refreshPipeline;
    private readonly Action<string> _log;
    // spec.project of each Application read, for the RBAC line of a later refusal.
    private readonly Dictionary<string, string> _projects = new(StringComparer.Ordinal);

    /// <param name="handler">Replaces the default handler (tests); when null, TLS is verified unless <see cref="ArgoServerOptions.Insecure"/>.</param>
    public ArgoRestApi(ArgoServerOptions options, SecretMasker masker, Action<string> log, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(masker);
        masker.Add(options.Token);
        _masker = masker;
        Endpoint = $"Argo CD at {options.BaseAddress}";
        // The bearer token in clear is the argocd CLI's --plaintext, never a default.
        options.Validate();
        void Log(string line) => log(masker.Redact(line));
        if (options.Insecure)
            Log($"Warning: TLS certificate verification is off for {options.BaseAddress} (--argocd-insecure); use it only for a server with a self-signed certificate you trust.");
        // Redirects keep the token only on the same origin, and answers are capped in size (SafeHttp).
        _http = new HttpClient(handler ?? CloudAge.Common.Net.SafeHttp.CreateHandler(inner: CreateHandler(options.Insecure)), disposeHandler: handler is null)
        {
            BaseAddress = options.BaseAddress,
            // Each attempt is bounded by the pipeline's timeout instead.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
        _pipeline = RetryPipeline.Create(options.Retry, _ => false, Log, Endpoint);
        _refreshPipeline = RetryPipeline.Create(options.Retry with { MaxAttempts = 1 }, _ => false, Log, Endpoint);
        _log = Log;
    }

    public string Endpoint { get; }

    public async Task<ApplicationStatus> GetAsync(string application, bool refresh, CancellationToken cancellationToken = default)
    {
        JsonElement? body = null;
        if (refresh)
        {
            // The API server answers ?refresh only once the application controller has refreshed the Application, or
            // fails with "application refresh deadline exceeded" (server/application/application.go, Get): under a busy
            // controller one try can take long. The refresh then goes on without us, and the Application is read as it is.
            try
            {
                body = await SendAsync(application, "get", () => new HttpRequestMessage(HttpMethod.Get, Path(application) + "?refresh=normal"), cancellationToken, _refreshPipeline);
            }
            catch (SlowRefreshException e)
            {
                _log($"{Endpoint} did not finish refreshing application '{application}' ({e.Message}); reading it as it is while the controller refreshes it.");
            }
        }
        body ??= await SendAsync(application, "get", () => new HttpRequestMessage(HttpMethod.Get, Path(application)), cancellationToken);
        var status = ApplicationJson.Parse(body!.Value);
        _projects[application] = status.Project;
        return status;
    }

    public async Task<SyncRequestOutcome> SyncAsync(string application, string? revision, bool prune, CancellationToken cancellationToken = default)
    {
        // Without a revision the server syncs targetRevision, resolved to its head commit (server/application/application.go,
        // resolveSourceRevisions and resolveRevision); that is the only sync it accepts under an automated policy.
        var payload = new Dictionary<string, object> { ["name"] = application, ["prune"] = prune };
        if (revision is not null)
            payload["revision"] = revision;
        var body = await SendAsync(application, "sync", () => new HttpRequestMessage(HttpMethod.Post, Path(application) + "/sync")
        {
            Content = JsonContent.Create(payload),
        }, cancellationToken);
        return body is null ? SyncRequestOutcome.AnotherOperationInProgress : SyncRequestOutcome.Accepted;
    }

    public void Dispose() => _http.Dispose();

    private sealed class SlowRefreshException(string message) : Exception(message);

    private static string Path(string application) => "api/v1/applications/" + Uri.EscapeDataString(application);

    /// <returns>The JSON answer, or null when Argo CD refused because another operation is in progress.</returns>
    private async Task<JsonElement?> SendAsync(string application, string action, Func<HttpRequestMessage> request, CancellationToken cancellationToken,
        ResiliencePipeline? pipeline = null)
    {
        try
        {
            return await (pipeline ?? _pipeline).ExecuteAsync(async token =>
            {
                using var message = request();
                using var response = await _http.SendAsync(message, token);
                var text = await response.Content.ReadAsStringAsync(token);
                if (response.IsSuccessStatusCode)
                    return Json(text);
                var error = ErrorText(text);
                if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
                    throw new TransientFailureException($"HTTP {(int)response.StatusCode} {error}".TrimEnd());
                // util/argo/argo.go, ErrAnotherOperationInProgress (FailedPrecondition, HTTP 400): SetAppOperation found .operation set.
                if (error.Contains("another operation is already in progress", StringComparison.OrdinalIgnoreCase))
                    return (JsonElement?)null;
                throw Refusal(application, action, response.StatusCode, error);
            }, cancellationToken);
        }
        catch (Exception e) when (CloudAge.Common.Net.SafeHttp.IsTlsFailure(e))
        {
            throw new ArgoCdException(_masker.Redact(
                $"{Endpoint}: the TLS connection failed ({e.GetBaseException().Message}). If the server uses a self-signed certificate you trust, pass --argocd-insecure (ARGOCD_INSECURE=true); otherwise check ARGOCD_SERVER."));
        }
        catch (Exception e) when (pipeline == _refreshPipeline && e is Polly.Timeout.TimeoutRejectedException or TransientFailureException)
        {
            throw new SlowRefreshException(RetryPipeline.Describe(e));
        }
        catch (Exception e) when (RetryPipeline.IsRetryable(e, _ => false))
        {
            throw new ArgoCdException(_masker.Redact(
                $"{Endpoint} kept failing for application '{application}': {RetryPipeline.Describe(e)}. Check that ARGOCD_SERVER points at the Argo CD API server and that it is up."));
        }
    }

    private ArgoCdException Refusal(string application, string action, HttpStatusCode status, string error)
    {
        // server/application/application.go, Sync: PermissionDenied "cannot sync: blocked by sync window" (or "invalid sync
        // window") before any RBAC check; the project's windows, not the token's rights, refuse the sync at this time.
        if (status == HttpStatusCode.Forbidden && error.Contains("sync window", StringComparison.OrdinalIgnoreCase))
        {
            var project = _projects.GetValueOrDefault(application) ?? "<project>";
            return new ArgoCdException(_masker.Redact(
                $"{Endpoint} refused to sync application '{application}' now ({error}): a sync window of project '{project}' does not allow syncs at this time. " +
                $"Deploy when the window opens (`argocd proj windows list {project}` shows them), or ask an Argo CD admin to allow manual syncs in it."));
        }
        if (status == HttpStatusCode.Forbidden)
        {
            // PermissionDenied (gRPC 7). Argo CD answers the same for an application that does not exist, so as not to reveal it
            // (server/application/application.go, getAppEnforceRBAC).
            var (denied, hint) = ArgoRbac.Explain(error, application, action, _projects.GetValueOrDefault(application));
            var missing = denied == "get" ? " (Argo CD also answers so for an application that does not exist: check the name)" : "";
            return new ArgoPermissionException(_masker.Redact(
                $"{Endpoint} answered 403 Forbidden for application '{application}' ({error}): the token's account may not {denied} it{missing}. {hint}"), denied);
        }
        return new ArgoCdException(_masker.Redact(status switch
        {
            HttpStatusCode.Unauthorized => $"{Endpoint} answered 401 Unauthorized: the token was rejected (expired or revoked). " +
                "Create one with `argocd account generate-token --account <account>` and pass it as ARGOCD_AUTH_TOKEN.",
            HttpStatusCode.NotFound => $"{Endpoint} has no application '{application}' (404 {error}). Check the application name.",
            // server/application/application.go, resolveSourceRevisions: a pinned revision under an automated sync policy.
            _ when error.Contains("auto-sync currently set to", StringComparison.Ordinal) =>
                $"{Endpoint} refused to sync application '{application}' to a pinned revision ({error}): under an automated sync policy " +
                "Argo CD syncs only the Application's targetRevision. Push the change to that branch and let auto-sync deploy it.",
            _ => $"{Endpoint} refused the request for application '{application}': HTTP {(int)status} {error}",
        }));
    }

    private JsonElement Json(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new ArgoCdException(_masker.Redact($"{Endpoint} answered with something that is not JSON ({ErrorText(text)}); " +
                "ARGOCD_SERVER must name the Argo CD API server itself, not a login page or proxy in front of it."));
        }
    }

    // Argo CD's gRPC gateway answers errors as {"error": ..., "code": ..., "message": ...}.
    private static string ErrorText(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            foreach (var key in new[] { "message", "error" })
            {
                if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(key, out var value)
                    && value.ValueKind == JsonValueKind.String)
                    return CloudAge.Common.Text.PeerText.OneLine(value.GetString(), 600);
            }
        }
        catch (JsonException)
        {
        }
        return CloudAge.Common.Text.PeerText.OneLine(body);
    }

    internal static SocketsHttpHandler CreateHandler(bool insecure)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) };
        // Only on the explicit --argocd-insecure, announced with a warning in the constructor.
#pragma warning disable CA5359
        if (insecure)
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        return handler;
    }
}
