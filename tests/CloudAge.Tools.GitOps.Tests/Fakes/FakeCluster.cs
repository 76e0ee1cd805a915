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
        TokensSeen.Enqueue(authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization[7..] : authorization);
        (int Status, JsonNode? Body) answer;
        lock (_gate)
        {
            answer = Failures.TryDequeue(out var failure) ? (failure, Status(failure, "injected failure"))
                : authorization != $"Bearer {Token}" ? (401, Status(401, "Unauthorized"))
                : Route(request.Method, path, request.Query, body);
        }
        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.Body?.ToJsonString() ?? "{}");
    }

    private (int, JsonNode?) Route(string method, string path, IQueryCollection query, string body)
    {
        if (path.StartsWith(ArgoApps, StringComparison.Ordinal))
            return ArgoRest(method, path[ArgoApps.Length..], query, body);
        if (path.StartsWith(CustomApps, StringComparison.Ordinal))
            return CustomResource(method, path[CustomApps.Length..], body);
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (method == "GET" && parts is ["apis", "apps", "v1", "namespaces", _, "deployments", var deployment])
            return Scripted(Deployments, deployment);
        if (method == "GET" && parts is ["api", "v1", "namespaces", _, "services", var service])
            return Scripted(Services, service);
        return (404, Status(404, $"the server could not find the requested resource ({path})"));
    }

    private (int, JsonNode?) ArgoRest(string method, string rest, IQueryCollection query, string body)
    {
        var name = rest.Split('/')[0];
        if (name != App.Name)
            return (403, ArgoError(7, "permission denied"));
        if (method == "GET")
        {
            if (query.ContainsKey("refresh"))
                App.Refreshes++;
            return (200, App.Read());
        }
        if (method == "POST" && rest.EndsWith("/sync", StringComparison.Ordinal))
        {
            if (App.BusyReads > 0)
            {
                App.SyncRefusals++;
                return (400, ArgoError(9, "another operation is already in progress"));
            }
            var sync = JsonNode.Parse(body)!;
            App.AcceptSync(sync["revision"]!.GetValue<string>(), sync["prune"]?.GetValue<bool>() ?? false, null);
            return (200, new JsonObject { ["metadata"] = new JsonObject { ["name"] = App.Name } });
        }
        return (404, ArgoError(5, "Not Found"));
    }

    private (int, JsonNode?) CustomResource(string method, string name, string body)
    {
        if (name != App.Name)
            return (404, Status(404, $"applications.argoproj.io \"{name}\" not found"));
        if (method == "GET")
            return (200, App.Read());
        if (method != "PATCH")
            return (405, Status(405, "method not allowed"));
        var patch = JsonNode.Parse(body)!;
        if (patch["metadata"]?["annotations"]?["argocd.argoproj.io/refresh"] is not null)
            App.Refreshes++;
        if (patch["operation"] is { } operation)
        {
            if (App.BusyReads > 0)
                return (409, Status(409, "the object has been modified; please apply your changes to the latest version and try again"));
            App.AcceptSync(operation["sync"]!["revision"]!.GetValue<string>(), operation["sync"]!["prune"]!.GetValue<bool>(),
                operation["initiatedBy"]?["username"]?.GetValue<string>());
        }
        return (200, JsonNode.Parse("{}"));
    }

    private (int, JsonNode?) Scripted<T>(Dictionary<string, List<T>> script, string name)
    {
        if (!script.TryGetValue(name, out var states))
            return (404, Status(404, $"\"{name}\" not found"));
        var key = typeof(T).Name + "/" + name;
        var read = _reads.GetValueOrDefault(key);
        _reads[key] = read + 1;
        return (200, JsonNode.Parse(KubernetesJson.Serialize(states[Math.Min(read, states.Count - 1)])));
    }

    public int ReadsOf<T>(string name) { lock (_gate) return _reads.GetValueOrDefault(typeof(T).Name + "/" + name); }

    // Kubernetes answers errors as a Status object; Argo CD's gateway as {"error","code","message"}.
    private static JsonObject Status(int code, string message) =>
        new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["message"] = message, ["code"] = code };

    private static JsonObject ArgoError(int code, string message) =>
        new JsonObject { ["error"] = message, ["code"] = code, ["message"] = message };
}
