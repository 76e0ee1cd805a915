namespace CloudAge.Tools.GitOps.ArgoCd;

/// <summary>Argo CD could not be used: rejected token, unknown application, or an endpoint that kept failing. The message
/// says what to do and never carries a credential.</summary>
public class ArgoCdException(string message) : Exception(message);

/// <summary>The sync ran but did not end Synced and Healthy at the requested revision (failed, degraded or timed out).
/// <see cref="LastStatus"/> is the last state read; the message lists the resources that are not healthy or synced.</summary>
public sealed class ArgoSyncFailedException(string message, ApplicationStatus? lastStatus) : ArgoCdException(message)
{
    public ApplicationStatus? LastStatus { get; } = lastStatus;
}

/// <summary>Argo CD's RBAC refused an action (gRPC PermissionDenied, HTTP 403). The message gives the
/// <c>policy.csv</c> line that grants it.</summary>
public sealed class ArgoPermissionException(string message, string action) : ArgoCdException(message)
{
    /// <summary>The RBAC action refused: get, sync or override.</summary>
    public string Action { get; } = action;
}
