namespace CloudAge.Tools.GitOps.Kubernetes;

/// <summary>The Kubernetes API refused or kept failing, or a rollout/load balancer wait ended badly. The message says
/// which object, what the API answered and what to do; it never carries a credential.</summary>
public class ClusterException(string message) : Exception(message);

/// <summary>409 Conflict: the object changed between read and write.</summary>
internal sealed class ClusterConflictException(string message) : ClusterException(message);

/// <summary>403 Forbidden: the identity is known but Kubernetes RBAC does not let it do this.</summary>
public sealed class ClusterForbiddenException(string message) : ClusterException(message);
