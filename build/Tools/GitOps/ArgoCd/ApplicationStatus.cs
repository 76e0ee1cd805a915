namespace CloudAge.Tools.GitOps.ArgoCd;

/// <summary>What Argo CD reports about an Application, the same whether read over REST or from the custom resource.</summary>
public sealed record ApplicationStatus(
    string Name,
    string SyncStatus,
    string? SyncRevision,
    string HealthStatus,
    string? HealthMessage,
    OperationState? Operation,
    DateTimeOffset? ReconciledAt,
    bool OperationPending,
    IReadOnlyList<ApplicationResource> Resources)
{
    /// <summary><c>spec.syncPolicy.automated</c> is set (and not disabled with <c>enabled: false</c>): the controller syncs
    /// by itself and the API server refuses a pinned revision other than <see cref="TargetRevision"/>.</summary>
    public bool AutomatedSync { get; init; }

    /// <summary><c>spec.source.targetRevision</c>: the branch, tag or commit the Application tracks ("HEAD" when empty).</summary>
    public string TargetRevision { get; init; } = "HEAD";

    /// <summary>
    /// Why the commit this Application deploys is not one revision of its branch, or null for one <c>spec.source</c>:
    /// with <c>spec.sources</c> its sync and operation revisions are per source (<c>status.sync.revisions</c>), with
    /// <c>spec.sourceHydrator</c> it deploys commits the hydrator writes to another branch (types.go: GetSource,
    /// HasMultipleSources, in argoproj/argo-cd pkg/apis/application/v1alpha1).
    /// </summary>
    public string? UnfollowableSource { get; init; }

    /// <summary><c>spec.project</c>: the AppProject whose name appears in RBAC lines (<c>project/application</c>).</summary>
    public string Project { get; init; } = "default";

    /// <summary>The revision of the operation requested or running: <c>operation.sync.revision</c> while it is pending,
    /// else <c>status.operationState.operation.sync.revision</c>; may be a branch name until the controller resolves it.</summary>
    public string? OperationRevision { get; init; }
}

/// <summary>The last (or running) operation: <c>status.operationState</c>.</summary>
public sealed record OperationState(
    string Phase,
    string? Message,
    DateTimeOffset? FinishedAt,
    string? SyncRevision,
    IReadOnlyList<ResourceResult> SyncResults);

/// <summary>One entry of <c>status.operationState.syncResult.resources</c>.</summary>
public sealed record ResourceResult(string Kind, string Name, string? Namespace, string? Status, string? Message, string? HookPhase);

/// <summary>One entry of <c>status.resources</c>: a managed object with its sync and health state.</summary>
public sealed record ApplicationResource(
    string Kind, string Name, string? Namespace, string? SyncStatus, string? HealthStatus, string? HealthMessage);
