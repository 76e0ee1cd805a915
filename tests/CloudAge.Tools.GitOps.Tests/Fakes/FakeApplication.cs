using System.Text.Json.Nodes;

namespace CloudAge.Tools.GitOps.Tests.Fakes;

/// <summary>A resource in the fake Application's status, with its health and, optionally, the sync operation's result for it.</summary>
internal sealed record FakeResource(string Kind, string Name, string Health, string? Message = null)
{
    public string Sync { get; init; } = "Synced";
    public string? SyncResult { get; init; }
    public string? SyncMessage { get; init; }
}

/// <summary>One state of the fake Application as a read returns it; a null Revision means the revision the operation resolved to.</summary>
internal sealed record FakeAppState(string Sync, string Health, string? Phase)
{
    public string? Revision { get; init; }
    public string? HealthMessage { get; init; }
    public string? OperationMessage { get; init; }
    /// <summary>Argo CD keeps .operation set from the sync request until the operation completes.</summary>
    public bool Pending { get; init; } = Phase is "Running" or "Terminating";
    public bool ReconciledAfterFinish { get; init; } = true;
    /// <summary>The operation ended before the controller resolved its revision: CompareAppState failed, so
    /// syncResult.revision is still the revision as written into .operation (controller/sync.go, SyncAppState and
    /// newSyncOperationResult), e.g. a branch name.</summary>
    public bool Unresolved { get; init; }
    public IReadOnlyList<FakeResource> Resources { get; init; } = [new("Deployment", "cloudage", Health)];
}

/// <summary>
/// The Argo CD Application behind the fakes (argoproj.io/v1alpha1, as Argo CD's REST API and the custom resource both carry
/// it, FACTS.md 5), with the parts of the API server's and controller's behaviour that ArgoSync depends on. Each rule names
/// its upstream source in argoproj/argo-cd:
/// <list type="bullet">
/// <item>Spec: <see cref="Automated"/> (argocd/application.yaml auto-syncs), <see cref="TargetRevision"/>, <see cref="Project"/>.</item>
/// <item>An operation starts from a client's sync (<see cref="StartOperation"/>) or from the controller's own auto-sync after a
/// refresh sees the branch head (controller/appcontroller.go, autoSync: only with an automated policy, no operation
/// already set, and the application OutOfSync).</item>
/// <item>Until an operation starts every read returns <see cref="Initial"/>; afterwards read N returns AfterSync[N] (the last
/// one repeats). While <see cref="BusyReads"/> is above zero another operation is running (.operation set); each read counts it down.</item>
/// </list>
/// </summary>
internal sealed class FakeApplication(string name)
{
    public const string OldRevision = "00000000000000000000000000000000000000aa";
    private static readonly DateTimeOffset Started = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private int _readsSinceSync;
    private int _readsSinceRefresh;
    private bool _refreshed;

    public string Name { get; } = name;

    /// <summary>spec.syncPolicy.automated is set (default, like argocd/application.yaml).</summary>
    public bool Automated { get; set; } = true;
    public string TargetRevision { get; set; } = "main";
    public string Project { get; set; } = "default";
    /// <summary>"source" (one spec.source), "sources" (spec.sources: the manifests and a Helm chart, revisions per source in
    /// status) or "sourceHydrator" (spec.sourceHydrator); argoproj/argo-cd pkg/apis/application/v1alpha1/types.go.</summary>
    public string SourceShape { get; set; } = "source";
    /// <summary>The commit the tracked branch points at: what a revision-less sync resolves to.</summary>
    public string BranchHead { get; set; } = ArgoHarness.Revision;
    /// <summary>The controller starts its auto-sync by itself once a refresh shows the branch head (false: a slow controller).</summary>
    public bool AutoSyncOnRefresh { get; set; } = true;
    /// <summary>Reads after the refresh before the controller's auto-sync operation appears.</summary>
    public int AutoSyncAfterReads { get; set; } = 1;

    /// <summary>spec.syncPolicy.syncOptions and retry.limit, as argocd/application.yaml sets them.</summary>
    public List<string> SyncOptions { get; } = ["CreateNamespace=true", "RespectIgnoreDifferences=true"];
    public int RetryLimit { get; set; } = 5;
    /// <summary>A deny window of the project is active now (AppProject spec.syncWindows).</summary>
    public bool SyncWindowBlocks { get; set; }

    /// <summary>argocd-cm <c>application.sync.requireOverridePrivilegeForRevisionSync</c>.</summary>
    public bool RequireOverridePrivilegeForRevisionSync { get; set; }
    /// <summary>The RBAC actions the token's account holds on this application (argocd-rbac-cm policy.csv).</summary>
    public HashSet<string> Allowed { get; } = ["get", "sync", "override"];
    /// <summary>Kubernetes RBAC verbs the identity holds on applications.argoproj.io in namespace argocd.</summary>
    public HashSet<string> KubernetesVerbs { get; } = ["get", "patch"];
    /// <summary>The token's subject, as the JWT names it in Argo CD's refusals.</summary>
    public string Subject { get; set; } = "ci";

    public FakeAppState Initial { get; set; } = new("OutOfSync", "Healthy", "Succeeded") { Revision = OldRevision };
    public List<FakeAppState> AfterSync { get; } = [];
    public int BusyReads { get; set; }

    public bool SyncAccepted => RequestedRevision is not null;
    /// <summary>The commit the started operation resolved to.</summary>
    public string? RequestedRevision { get; private set; }
    /// <summary>The revision as written into .operation.sync.revision: the API server and the controller's auto-sync
    /// write a commit; a client writing .operation through the Kubernetes API writes what it sends (a branch name stays
    /// one there: the controller records the commit only in syncResult.revision).</summary>
    public string? WrittenRevision { get; private set; }
    public bool? RequestedPrune { get; private set; }
    /// <summary>The started operation's sync.syncOptions and retry.limit (null: none), which the controller applies.</summary>
    public IReadOnlyList<string>? RequestedSyncOptions { get; private set; }
    public int? RequestedRetryLimit { get; private set; }
    /// <summary>Operations written over one still running (the Kubernetes API server stores such a patch as sent).</summary>
    public int OperationsOverwritten { get; set; }
    public string? InitiatedBy { get; private set; }
    /// <summary>The controller resumed an operation left in progress in status.operationState instead of the one requested.</summary>
    public bool ResumedStaleOperation { get; set; }
    /// <summary>Whether the running operation was started by the controller's auto-sync.</summary>
    public bool? StartedByAutoSync { get; private set; }
    /// <summary>The revision each client sync request carried (null: none), accepted or not.</summary>
    public List<string?> SyncRequests { get; } = [];
    public int Reads { get; private set; }
    public int ReadsAfterSync => _readsSinceSync;
    public int Refreshes { get; private set; }
    public int SyncRefusals { get; set; }
    public int PinnedRefusals { get; set; }
    /// <summary>metadata.resourceVersion: every write (a refresh annotation, an operation) changes it.</summary>
    public int ResourceVersion { get; private set; } = 100;

    /// <summary>True while .operation is set: another operation (scripted busy), or ours while it has not completed.</summary>
    public bool OperationSet => BusyReads > 0 || (SyncAccepted && CurrentState().Pending);

    public void Refresh()
    {
        Refreshes++;
        ResourceVersion++;
        _refreshed = true;
        _readsSinceRefresh = 0;
    }

    /// <summary>
    /// Starts an operation. The API server's Sync and the controller's auto-sync copy the Application's syncOptions and
    /// retry into it (server/application/application.go, Sync; controller/appcontroller.go, autoSync); a client writing
    /// .operation through the Kubernetes API passes what it wrote.
    /// </summary>
    public void StartOperation(string revision, bool prune, string? initiatedBy, bool automated = false, IReadOnlyList<string>? syncOptions = null, int? retryLimit = null,
        bool fromSpec = true, string? written = null)
    {
        RequestedRevision = revision;
        WrittenRevision = written ?? revision;
        RequestedPrune = prune;
        RequestedSyncOptions = fromSpec ? SyncOptions.ToList() : syncOptions;
        RequestedRetryLimit = fromSpec ? RetryLimit : retryLimit;
        InitiatedBy = initiatedBy;
        StartedByAutoSync = automated;
        _readsSinceSync = 0;
        ResourceVersion++;
    }

    /// <summary>
    /// server/application/application.go, resolveRevision: a commit SHA is taken as is; anything else (a branch, "HEAD",
    /// or no revision, which means targetRevision) is resolved by the repo server to the commit it points at now.
    /// The controller does the same for an ambiguous revision written straight into .operation (controller/sync.go, SyncAppState).
    /// </summary>
    public string Resolve(string? revision) =>
        revision is { Length: 40 } sha && sha.All(Uri.IsHexDigit) ? sha : BranchHead;

    public JsonObject Read()
    {
        Reads++;
        if (BusyReads > 0)
        {
            BusyReads--;
            return Render(new FakeAppState("OutOfSync", "Healthy", "Running") { Revision = "another-operation" });
        }
        MaybeAutoSync();
        if (!SyncAccepted)
            return Render(Initial);
        var state = CurrentState();
        _readsSinceSync++;
        return Render(state);
    }

    // controller/appcontroller.go, autoSync: skipped without an automated policy, while an operation is set
    // ("another operation is in progress") and unless the comparison is OutOfSync; the operation's revision is the
    // comparison's, i.e. the branch head the refresh saw.
    private void MaybeAutoSync()
    {
        if (!Automated || !AutoSyncOnRefresh || !_refreshed || SyncAccepted || Initial.Sync != "OutOfSync")
            return;
        if (_readsSinceRefresh++ < AutoSyncAfterReads)
            return;
        StartOperation(BranchHead, prune: true, initiatedBy: null, automated: true);
    }

    private JsonObject SyncPolicy()
    {
        var policy = new JsonObject
        {
            ["syncOptions"] = new JsonArray(SyncOptions.Select(o => (JsonNode)o).ToArray()),
            ["retry"] = new JsonObject { ["limit"] = RetryLimit, ["backoff"] = new JsonObject { ["duration"] = "5s", ["factor"] = 2, ["maxDuration"] = "3m" } },
        };
        if (Automated)
            policy["automated"] = new JsonObject { ["prune"] = true, ["selfHeal"] = true };
        return policy;
    }

    private FakeAppState CurrentState() =>
        AfterSync.Count == 0 ? Initial : AfterSync[Math.Min(_readsSinceSync, AfterSync.Count - 1)];

    private JsonObject Render(FakeAppState s)
    {
        var revision = s.Revision ?? RequestedRevision ?? "unknown";
        var written = s.Revision ?? WrittenRevision ?? revision;
        var finished = Started.AddSeconds(10);
        var operationState = s.Phase is null ? null : new JsonObject
        {
            ["operation"] = new JsonObject { ["sync"] = new JsonObject { ["revision"] = written } },
            ["phase"] = s.Phase,
            ["message"] = s.OperationMessage,
            ["startedAt"] = Started.ToString("O"),
            ["finishedAt"] = s.Phase is "Running" or "Terminating" ? null : finished.ToString("O"),
            ["syncResult"] = new JsonObject
            {
                ["revision"] = s.Unresolved ? written : revision,
                ["resources"] = new JsonArray(s.Resources.Where(r => r.SyncResult is not null).Select(r => (JsonNode)new JsonObject
                {
                    ["kind"] = r.Kind, ["name"] = r.Name, ["namespace"] = "cloudage", ["status"] = r.SyncResult, ["message"] = r.SyncMessage,
                }).ToArray()),
            },
        };
        return new JsonObject
        {
            ["apiVersion"] = "argoproj.io/v1alpha1",
            ["kind"] = "Application",
            ["metadata"] = new JsonObject { ["name"] = Name, ["namespace"] = "argocd", ["resourceVersion"] = ResourceVersion.ToString() },
            ["spec"] = new JsonObject
            {
                ["project"] = Project,
                [SourceShape] = SourceShape switch
                {
                    "sources" => new JsonArray(
                        new JsonObject { ["repoURL"] = "https://github.com/example/cloudage.git", ["targetRevision"] = TargetRevision, ["path"] = "k8s" },
                        new JsonObject { ["repoURL"] = "https://charts.example.com", ["chart"] = "redis", ["targetRevision"] = "19.0.0" }),
                    "sourceHydrator" => new JsonObject
                    {
                        ["drySource"] = new JsonObject { ["repoURL"] = "https://github.com/example/cloudage.git", ["targetRevision"] = TargetRevision, ["path"] = "k8s" },
                        ["syncSource"] = new JsonObject { ["targetBranch"] = "environments/production", ["path"] = "k8s" },
                    },
                    _ => new JsonObject { ["repoURL"] = "https://github.com/example/cloudage.git", ["targetRevision"] = TargetRevision, ["path"] = "k8s" },
                },
                ["destination"] = new JsonObject { ["server"] = "https://kubernetes.default.svc", ["namespace"] = "cloudage" },
                ["syncPolicy"] = SyncPolicy(),
            },
            ["operation"] = s.Pending ? new JsonObject { ["sync"] = new JsonObject { ["revision"] = written } } : null,
            ["status"] = new JsonObject
            {
                // A multi-source Application reports one revision per source (ApplicationStatus.Sync.Revisions).
                ["sync"] = SourceShape == "sources"
                    ? new JsonObject { ["status"] = s.Sync, ["revisions"] = new JsonArray(revision, "19.0.0") }
                    : new JsonObject { ["status"] = s.Sync, ["revision"] = revision },
                ["health"] = new JsonObject { ["status"] = s.Health, ["message"] = s.HealthMessage },
                ["reconciledAt"] = (s.ReconciledAfterFinish ? finished.AddSeconds(5) : finished.AddSeconds(-5)).ToString("O"),
                ["operationState"] = operationState,
                ["resources"] = new JsonArray(s.Resources.Select(r => (JsonNode)new JsonObject
                {
                    ["kind"] = r.Kind, ["name"] = r.Name, ["namespace"] = "cloudage", ["status"] = r.Sync,
                    ["health"] = new JsonObject { ["status"] = r.Health, ["message"] = r.Message },
                }).ToArray()),
            },
        };
    }
}
