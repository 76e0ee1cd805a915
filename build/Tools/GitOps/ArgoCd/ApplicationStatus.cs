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
    IReadOnlyList<ApplicationResource> Resources);

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
