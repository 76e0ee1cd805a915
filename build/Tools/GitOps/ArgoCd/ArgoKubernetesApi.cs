using System.Text.Json;
using System.Text.Json.Nodes;
using CloudAge.Common.Resilience;
using CloudAge.Common.Secrets;
using CloudAge.Tools.GitOps.Kubernetes;
using k8s;
using k8s.Models;

namespace CloudAge.Tools.GitOps.ArgoCd;

/// <summary>
/// Argo CD through the Kubernetes API alone: reads the <c>Application</c> custom resource (argoproj.io/v1alpha1) and
/// requests a sync by setting its <c>.operation</c>, as the Argo CD API server itself does. For when only a kubeconfig is at hand.
/// </summary>
public sealed class ArgoKubernetesApi : IArgoApplicationApi
{
    private const string Group = "argoproj.io";
    private const string Version = "v1alpha1";
    private const string Plural = "applications";

    private readonly KubernetesCalls _calls;
    private readonly string _namespace;
    private readonly string _initiatedBy;

    /// <param name="namespace">Where Argo CD keeps its Application resources.</param>
    /// <param name="initiatedBy">Recorded as the operation's <c>initiatedBy.username</c>, shown in the Argo CD UI.</param>
    public ArgoKubernetesApi(IKubernetes client, SecretMasker masker, Action<string> log,
        string @namespace = "argocd", string initiatedBy = "cloudage-build", RetryPolicy? retry = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _calls = new KubernetesCalls(client, masker, log, retry ?? RetryPipeline.Default);
        _namespace = @namespace;
        _initiatedBy = initiatedBy;
    }

    public string Endpoint => $"Kubernetes API at {_calls.Server} (Application resources in namespace '{_namespace}')";

    public async Task<ApplicationStatus> GetAsync(string application, bool refresh, CancellationToken cancellationToken = default)
    {
        if (refresh)
        {
            // The application controller refreshes an Application carrying this annotation and then removes it.
            var annotation = new { metadata = new { annotations = new Dictionary<string, string> { ["argocd.argoproj.io/refresh"] = "normal" } } };
            await PatchAsync(application, annotation, "request a refresh of", cancellationToken);
        }
        return ApplicationJson.Parse(await ReadAsync(application, cancellationToken));
    }

    public async Task<SyncRequestOutcome> SyncAsync(string application, string? revision, bool prune, CancellationToken cancellationToken = default)
    {
        var current = await ReadAsync(application, cancellationToken);
        // The API server's own rule (util/argo/argo.go, SetAppOperation): an Application whose .operation is set is busy.
        if (current.TryGetProperty("operation", out var running) && running.ValueKind == JsonValueKind.Object)
            return SyncRequestOutcome.AnotherOperationInProgress;
        // Without a revision, the source's targetRevision (a branch) is written as the API server does before resolving it;
        // the controller resolves an ambiguous revision to a commit when it runs the operation (controller/sync.go,
        // SyncAppState). The Kubernetes API does not check Argo CD's rules, so ArgoSyncer applies them for both paths.
        revision ??= ApplicationJson.Parse(current).TargetRevision;
        // The operation the API server itself writes (server/application/application.go, Sync): the Application's
        // syncPolicy.syncOptions and syncPolicy.retry go into it, since the controller reads options only from the
        // operation (controller/sync.go: CreateNamespace, RespectIgnoreDifferences, ServerSideApply, ...).
        var sync = new JsonObject { ["revision"] = revision, ["prune"] = prune };
        var operation = new JsonObject { ["initiatedBy"] = new JsonObject { ["username"] = _initiatedBy }, ["sync"] = sync };
        if (current.TryGetProperty("spec", out var spec) && spec.ValueKind == JsonValueKind.Object
            && spec.TryGetProperty("syncPolicy", out var policy) && policy.ValueKind == JsonValueKind.Object)
        {
            if (policy.TryGetProperty("syncOptions", out var options) && options.ValueKind == JsonValueKind.Array)
                sync["syncOptions"] = JsonNode.Parse(options.GetRawText());
            if (policy.TryGetProperty("retry", out var retry) && retry.ValueKind == JsonValueKind.Object)
                operation["retry"] = JsonNode.Parse(retry.GetRawText());
        }
        // The read and the patch are not atomic; a merge patch carrying resourceVersion makes the API server refuse (409)
        // when someone else set an operation in between, which is then read as "another operation".
        var resourceVersion = current.GetProperty("metadata").GetProperty("resourceVersion").GetString();
        // SetAppOperation (util/argo/argo.go) clears status.operationState with the write: while it shows an operation not
        // completed (one whose .operation was removed by hand) the controller resumes that one and never reads ours
        // (controller/appcontroller.go, processRequestedAppOperation). The Application CRD has no status subresource, so
        // the same patch reaches it.
        var guarded = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
            ["operation"] = operation,
            ["status"] = new JsonObject { ["operationState"] = null },
        };
        try
        {
            await PatchAsync(application, guarded, "request a sync of", cancellationToken);
        }
        catch (ClusterConflictException)
        {
            return SyncRequestOutcome.AnotherOperationInProgress;
        }
        return SyncRequestOutcome.Accepted;
    }

    private async Task<object> PatchAsync(string application, object body, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await _calls.RunAsync($"{what} Application '{application}'",
                token => _calls.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
                    new V1Patch(body, V1Patch.PatchType.MergePatch), Group, Version, _namespace, Plural, application, cancellationToken: token),
                cancellationToken);
        }
        catch (ClusterForbiddenException e)
        {
            throw new ClusterException(e.Message + " " + RbacHint);
        }
    }

    private async Task<JsonElement> ReadAsync(string application, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await _calls.RunAsync($"read Application '{application}'",
                token => _calls.Client.CustomObjects.GetNamespacedCustomObjectAsync(Group, Version, _namespace, Plural, application, token),
                cancellationToken);
            return ToJson(answer);
        }
        catch (ClusterForbiddenException e)
        {
            throw new ClusterException(e.Message + " " + RbacHint);
        }
    }

    // Kubernetes RBAC, not Argo CD's: the Application path needs get and patch on applications.argoproj.io in Argo CD's namespace.
    private string RbacHint =>
        $"ArgoSync through the Kubernetes API needs get and patch on applications.argoproj.io in namespace '{_namespace}': " +
        $"`kubectl create role cloudage-argocd-sync -n {_namespace} --verb=get,patch --resource=applications.argoproj.io` and " +
        $"`kubectl create rolebinding cloudage-argocd-sync -n {_namespace} --role=cloudage-argocd-sync --user=<user or group of your identity>` " +
        "(docs/argocd-setup.md).";

    private static JsonElement ToJson(object answer) => answer switch
    {
        JsonElement element => element,
        _ => JsonSerializer.SerializeToElement(answer),
    };
}
