namespace CloudAge.Tools.GitOps.ArgoCd;

/// <summary>
/// The two things ArgoSync needs from Argo CD. Implemented over the Argo CD REST API (<see cref="ArgoRestApi"/>)
/// and over the Application custom resource in Kubernetes (<see cref="ArgoKubernetesApi"/>), with the same behaviour.
/// </summary>
public interface IArgoApplicationApi
{
    /// <summary>Where the calls go, for messages (never holds a credential).</summary>
    string Endpoint { get; }

    /// <summary>Reads the application; with <paramref name="refresh"/> Argo CD first compares it with git again.</summary>
    Task<ApplicationStatus> GetAsync(string application, bool refresh, CancellationToken cancellationToken = default);

    /// <summary>Asks for a sync. <paramref name="revision"/> null syncs the Application's own <c>targetRevision</c>, which
    /// Argo CD resolves to the branch's head commit; a commit pins the sync to it (refused under auto-sync).
    /// Answers <see cref="SyncRequestOutcome.AnotherOperationInProgress"/> instead of throwing when Argo CD is still busy
    /// with an earlier operation; throws <see cref="ArgoPermissionException"/> when RBAC refuses.</summary>
    Task<SyncRequestOutcome> SyncAsync(string application, string? revision, bool prune, CancellationToken cancellationToken = default);
}

public enum SyncRequestOutcome
{
    Accepted,
    AnotherOperationInProgress,
}
