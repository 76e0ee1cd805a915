using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace CloudAge.Tools.GitOps.Tests.Fakes;

/// <summary>
/// In-process fake of the Argo CD API server and the Kubernetes API server on one loopback port, because neither can
/// run on this machine. It follows the documented APIs (FACTS.md sections 5 and 6) for exactly the calls the build makes:
/// Argo CD <c>GET /api/v1/applications/{name}[?refresh=]</c> and <c>POST .../sync</c>; Kubernetes GET/PATCH of the
/// Application custom object, GET apps/v1 Deployments and v1 Services. State changes per read, as scripted by the test.
/// </summary>
internal sealed class FakeCluster : IAsyncDisposable
{
    private const string ArgoApps = "/api/v1/applications/";
    private const string CustomApps = "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/";

    private readonly FakeHttpServer _server;
    private readonly Lock _gate = new();

    private FakeCluster(FakeHttpServer server, string token)
    {
        _server = server;
        Token = token;
    }

    public Uri BaseAddress => _server.BaseAddress;
    /// <summary>The bearer token every request must carry, else 401.</summary>
    public string Token { get; set; }
    public FakeApplication App { get; } = new("cloudage");
    public Dictionary<string, List<V1Deployment>> Deployments { get; } = [];
    public Dictionary<string, List<V1Service>> Services { get; } = [];
    /// <summary>Status codes for the next requests, answered before anything else (e.g. 503 twice, then normal).</summary>
    public Queue<int> Failures { get; } = new();
    public ConcurrentQueue<string> Requests { get; } = new();
    /// <summary>
    /// How long Argo CD's GET ?refresh takes: the API server answers it only once the controller has refreshed the
    /// Application (server/application/application.go, Get), so a busy controller makes it slow.
    /// </summary>
    public TimeSpan RefreshDelay { get; set; }
    /// <summary>The API server gives up waiting for the controller: "application refresh deadline exceeded" (gRPC Unknown, HTTP 500).</summary>
    public bool RefreshDeadlineExceeded { get; set; }
    public ConcurrentQueue<string> TokensSeen { get; } = new();

    private readonly Dictionary<string, int> _reads = [];

    public static async Task<FakeCluster> StartAsync(string token)
    {
        FakeCluster? cluster = null;
        var server = await FakeHttpServer.StartAsync(context => cluster!.HandleAsync(context));
        cluster = new FakeCluster(server, token);
        return cluster;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        var body = await new StreamReader(request.Body).ReadToEndAsync();
        Requests.Enqueue($"{request.Method} {path}{request.QueryString}");
        var authorization = request.Headers.Authorization.ToString();
        var refreshing = path.StartsWith(ArgoApps, StringComparison.Ordinal) && request.Query.ContainsKey("refresh");
        if (refreshing && RefreshDelay > TimeSpan.Zero)
            await Task.Delay(RefreshDelay);
        TokensSeen.Enqueue(authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization[7..] : authorization);
        (int Status, JsonNode? Body) answer;
        lock (_gate)
        {
            answer = refreshing && RefreshDeadlineExceeded ? (500, ArgoError(2, "application refresh deadline exceeded"))
                : Failures.TryDequeue(out var failure) ? (failure, Status(failure, "injected failure"))
                : authorization != $"Bearer {Token}" ? Unauthenticated(path)
                : Route(request.Method, path, request.Query, body);
        }
        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.Body?.ToJsonString() ?? "{}");
    }

    // A token the server does not accept. Argo CD's gateway: Unauthenticated (gRPC 16) -> HTTP 401 with its error object
    // (server/server.go, authenticate: "invalid session: ..."); the Kubernetes API server: a 401 Status "Unauthorized".
    private static (int, JsonNode?) Unauthenticated(string path) =>
        path.StartsWith(ArgoApps, StringComparison.Ordinal) ? (401, ArgoError(16, "invalid session: token signature is invalid")) : (401, Status(401, "Unauthorized"));

    private (int, JsonNode?) Route(string method, string path, IQueryCollection query, string body)
    {
        if (path.StartsWith(ArgoApps, StringComparison.Ordinal))
            return ArgoRest(method, path[ArgoApps.Length..], query, body);
        if (path.StartsWith(CustomApps, StringComparison.Ordinal))
            return CustomResource(method, path[CustomApps.Length..], body);
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (method == "GET" && parts is ["apis", "apps", "v1", "namespaces", var ns, "deployments", var deployment])
            return Forbidden("get", "deployments", "apps", ns, deployment) ?? Scripted(Deployments, "deployments.apps", deployment);
        if (method == "GET" && parts is ["api", "v1", "namespaces", var serviceNs, "services", var service])
            return Forbidden("get", "services", "", serviceNs, service) ?? Scripted(Services, "services", service);
        if (method == "GET" && parts is ["api", "v1", "namespaces", var eventNs, "events"])
            return Forbidden("list", "events", "", eventNs, null) ?? ListEvents(eventNs, query["fieldSelector"].ToString());
        return (404, Status(404, $"the server could not find the requested resource ({path})"));
    }

    /// <summary>Resources the identity may not read: Kubernetes RBAC answers 403 Forbidden with a Status naming the user,
    /// verb, resource and namespace (k8s.io/apiserver endpoints/handlers/responsewriters/errors.go, forbiddenMessage;
    /// apimachinery api/errors NewForbidden: `&lt;resource&gt;[.group] ["name"] is forbidden: ...`).</summary>
    public HashSet<string> ForbiddenResources { get; } = [];

    /// <summary>The identity the API server maps the token to, as RBAC messages name it (an EKS access entry's role session).</summary>
    public string User { get; set; } = "arn:aws:sts::123456789012:assumed-role/cloudage-github-deploy/GitHubActions";

    private (int, JsonNode?)? Forbidden(string verb, string resource, string group, string ns, string? name)
    {
        if (!ForbiddenResources.Contains(resource))
            return null;
        var qualified = group.Length == 0 ? resource : $"{resource}.{group}";
        var subject = name is null ? qualified : $"{qualified} \"{name}\"";
        return (403, Status(403, $"{subject} is forbidden: User \"{User}\" cannot {verb} resource \"{resource}\" in API group \"{group}\" in the namespace \"{ns}\"", "Forbidden"));
    }

    /// <summary>Events in the cluster (core/v1), listed with a field selector as the API server filters them.</summary>
    public List<Corev1Event> Events { get; } = [];

    // The field labels the API server accepts for core/v1 Events (pkg/apis/core/v1/conversion.go,
    // AddFieldLabelConversionsForEvent; pkg/registry/core/event/strategy.go, ToSelectableFields); any other is refused
    // with 400 "field label not supported". Only `=`/`==` terms are modelled: the build sends nothing else.
    private (int, JsonNode?) ListEvents(string ns, string fieldSelector)
    {
        var terms = new List<(string Field, string Value)>();
        foreach (var term in fieldSelector.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var (field, value) = term.Split(term.Contains("==", StringComparison.Ordinal) ? "==" : "=", 2) is [var f, var v] ? (f, v) : (term, "");
            if (EventField(new Corev1Event(), field) is null)
                return (400, Status(400, $"field label not supported: {field}", "BadRequest"));
            terms.Add((field, value));
        }
        var items = Events.Where(e => (e.Metadata?.NamespaceProperty ?? ns) == ns && terms.All(t => EventField(e, t.Field) == t.Value)).ToList();
        return (200, JsonNode.Parse(KubernetesJson.Serialize(new Corev1EventList { Items = items, ApiVersion = "v1", Kind = "EventList", Metadata = new V1ListMeta() })));
    }

    private static string? EventField(Corev1Event e, string field) => field switch
    {
        "involvedObject.kind" => e.InvolvedObject?.Kind ?? "",
        "involvedObject.namespace" => e.InvolvedObject?.NamespaceProperty ?? "",
        "involvedObject.name" => e.InvolvedObject?.Name ?? "",
        "involvedObject.uid" => e.InvolvedObject?.Uid ?? "",
        "involvedObject.apiVersion" => e.InvolvedObject?.ApiVersion ?? "",
        "involvedObject.resourceVersion" => e.InvolvedObject?.ResourceVersion ?? "",
        "involvedObject.fieldPath" => e.InvolvedObject?.FieldPath ?? "",
        "reason" => e.Reason ?? "",
        "source" => e.Source?.Component ?? "",
        "type" => e.Type ?? "",
        "metadata.name" => e.Metadata?.Name ?? "",
        "metadata.namespace" => e.Metadata?.NamespaceProperty ?? "",
        _ => null,
    };

    // The Argo CD API server (argoproj/argo-cd server/application/application.go). Errors come through grpc-gateway as
    // {"error","code","message"} with FailedPrecondition (9) -> HTTP 400 and PermissionDenied (7) -> HTTP 403.
    private (int, JsonNode?) ArgoRest(string method, string rest, IQueryCollection query, string body)
    {
        var name = rest.Split('/')[0];
        // getAppEnforceRBAC: an application that does not exist is answered as "permission denied", not 404.
        if (name != App.Name)
            return (403, ArgoError(7, "permission denied"));
        // Get and Sync both start with getApplicationEnforceRBACClient(ActionGet), whose refusal is the bare
        // PermissionDeniedAPIError "permission denied" (common/common.go), as for an application that does not exist.
        if (!App.Allowed.Contains("get"))
            return (403, ArgoError(7, "permission denied"));
        if (method == "GET")
        {
            if (query.ContainsKey("refresh"))
                App.Refresh();
            return (200, App.Read());
        }
        if (method == "POST" && rest.EndsWith("/sync", StringComparison.Ordinal))
        {
            var sync = JsonNode.Parse(body)!;
            var revision = sync["revision"]?.GetValue<string>();
            App.SyncRequests.Add(revision);
            // Sync: the project's sync windows are checked before the sync permission (PermissionDenied either way).
            if (App.SyncWindowBlocks)
                return (403, ArgoError(7, "cannot sync: blocked by sync window"));
            // Sync: EnforceErr(ActionSync).
            if (!App.Allowed.Contains("sync"))
                return Denied("sync");
            // resolveSourceRevisions: a revision other than text.FirstNonEmpty(targetRevision, "HEAD") needs the override action
            // when requireOverridePrivilegeForRevisionSync is on, and is refused outright under an automated policy.
            if (!string.IsNullOrEmpty(revision) && revision != (App.TargetRevision is { Length: > 0 } t ? t : "HEAD"))
            {
                if (App.RequireOverridePrivilegeForRevisionSync && !App.Allowed.Contains("override"))
                    return Denied("override");
                if (App.Automated)
                {
                    App.PinnedRefusals++;
                    return (400, ArgoError(9, $"Cannot sync to {revision}: auto-sync currently set to {App.TargetRevision}"));
                }
            }
            // util/argo/argo.go, SetAppOperation: ErrAnotherOperationInProgress while .operation is set. Sync wraps it
            // ("error setting app operation: %w"); grpc-go's status.FromError keeps the code (FailedPrecondition) and takes
            // the wrapped text as the message, so the gateway answers HTTP 400 with the prefix.
            if (App.OperationSet)
            {
                App.SyncRefusals++;
                return (400, ArgoError(9, "error setting app operation: another operation is already in progress"));
            }
            App.StartOperation(App.Resolve(revision), sync["prune"]?.GetValue<bool>() ?? false, "ci");
            return (200, new JsonObject { ["metadata"] = new JsonObject { ["name"] = App.Name } });
        }
        return (404, ArgoError(5, "Not Found"));
    }

    // util/rbac/rbac.go, Enforcer.EnforceErr: "permission denied: <resource>, <action>, <project>/<app>, sub: <subject>, iat: <time>".
    private (int, JsonNode?) Denied(string action) =>
        (403, ArgoError(7, $"permission denied: applications, {action}, {App.Project}/{App.Name}, sub: {App.Subject}, iat: 2026-12-01T10:00:00Z"));

    // The Kubernetes API server holding the Application custom resource. It applies no Argo CD rule: a merge patch of
    // .operation is stored as sent (only a stale metadata.resourceVersion is refused with 409 Conflict), and the controller
    // then runs it, resolving a branch to its head (controller/sync.go, SyncAppState).
    private (int, JsonNode?) CustomResource(string method, string name, string body)
    {
        if (name != App.Name)
            return (404, Status(404, $"applications.argoproj.io \"{name}\" not found"));
        // Kubernetes RBAC (the authorizer answers 403 with a Status whose message names user, verb, resource and namespace).
        var verb = method == "GET" ? "get" : "patch";
        if (!App.KubernetesVerbs.Contains(verb))
            return (403, Status(403, $"applications.argoproj.io \"{name}\" is forbidden: User \"ci\" cannot {verb} resource \"applications\" in API group \"argoproj.io\" in the namespace \"argocd\""));
        if (method == "GET")
            return (200, App.Read());
        if (method != "PATCH")
            return (405, Status(405, "method not allowed"));
        var patch = JsonNode.Parse(body)!;
        // Optimistic concurrency: only a metadata.resourceVersion that is not the stored one is refused.
        if (patch["metadata"]?["resourceVersion"]?.GetValue<string>() is { } version && version != App.ResourceVersion.ToString())
        {
            if (patch["operation"] is not null)
                App.SyncRefusals++;
            return (409, Status(409, "Operation cannot be fulfilled on applications.argoproj.io \"cloudage\": the object has been modified; please apply your changes to the latest version and try again"));
        }
        if (patch["metadata"]?["annotations"]?["argocd.argoproj.io/refresh"] is not null)
            App.Refresh();
        if (patch["operation"] is { } operation)
        {
            var revision = operation["sync"]?["revision"]?.GetValue<string>();
            App.SyncRequests.Add(revision);
            // Stored as sent even over a running operation: the client must check .operation and send resourceVersion.
            if (App.OperationSet)
                App.OperationsOverwritten++;
            // controller/appcontroller.go, processRequestedAppOperation: while status.operationState is not completed
            // (isOperationInProgress) the controller resumes that state's own operation and ignores the new .operation;
            // the API server's SetAppOperation (util/argo/argo.go) clears status.operationState with the write for this reason.
            var clearsState = patch["status"] is JsonObject status && status.TryGetPropertyValue("operationState", out var state) && state is null;
            if (!clearsState && !App.SyncAccepted && App.Initial is { Phase: "Running" or "Terminating", Pending: false })
            {
                App.ResumedStaleOperation = true;
                App.StartOperation(App.Initial.Revision ?? FakeApplication.OldRevision, prune: false, initiatedBy: null);
                return (200, JsonNode.Parse("{}"));
            }
            App.StartOperation(App.Resolve(revision), operation["sync"]!["prune"]!.GetValue<bool>(),
                operation["initiatedBy"]?["username"]?.GetValue<string>(),
                syncOptions: (operation["sync"]?["syncOptions"] as JsonArray)?.Select(o => o!.GetValue<string>()).ToList(),
                retryLimit: operation["retry"]?["limit"]?.GetValue<int>(), fromSpec: false, written: revision);
        }
        return (200, JsonNode.Parse("{}"));
    }

    // A missing object: apimachinery api/errors NewNotFound, `<resource>[.group] "<name>" not found`, reason NotFound.
    private (int, JsonNode?) Scripted<T>(Dictionary<string, List<T>> script, string resource, string name)
    {
        if (!script.TryGetValue(name, out var states))
            return (404, Status(404, $"{resource} \"{name}\" not found", "NotFound"));
        var key = typeof(T).Name + "/" + name;
        var read = _reads.GetValueOrDefault(key);
        _reads[key] = read + 1;
        return (200, JsonNode.Parse(KubernetesJson.Serialize(states[Math.Min(read, states.Count - 1)])));
    }

    public int ReadsOf<T>(string name) { lock (_gate) return _reads.GetValueOrDefault(typeof(T).Name + "/" + name); }

    // Kubernetes answers errors as a Status object; Argo CD's gateway as {"error","code","message"}.
    private static JsonObject Status(int code, string message, string? reason = null)
    {
        var status = new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["message"] = message, ["code"] = code };
        if (reason is not null)
            status["reason"] = reason;
        return status;
    }

    private static JsonObject ArgoError(int code, string message) =>
        new JsonObject { ["error"] = message, ["code"] = code, ["message"] = message };
}
