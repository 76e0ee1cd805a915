using k8s.Models;

namespace CloudAge.Tools.GitOps.Tests.Fakes;

/// <summary>Deployment, Service and Event objects as the API server would return them at points of a rollout, for the fake's scripts.</summary>
internal static class KubernetesObjects
{
    public const string ServiceUid = "5b0c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3";

    public static V1Deployment Deployment(long generation, long observed, int replicas, int updated, int total, int available, string? progressingReason = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "cloudage", NamespaceProperty = "cloudage", Generation = generation },
        Spec = new V1DeploymentSpec { Replicas = replicas, Selector = new V1LabelSelector(), Template = new V1PodTemplateSpec() },
        Status = new V1DeploymentStatus
        {
            ObservedGeneration = observed,
            UpdatedReplicas = updated,
            Replicas = total,
            AvailableReplicas = available,
            Conditions = progressingReason is null ? null :
                [new V1DeploymentCondition { Type = "Progressing", Status = "False", Reason = progressingReason, Message = "ReplicaSet \"cloudage-7d9\" has timed out progressing." }],
        },
    };

    public static V1Deployment RolledOut() => Deployment(2, 2, 2, 2, 2, 2);

    /// <summary>
    /// A Deployment paused with a new pod template: the controller observes the generation but creates no new ReplicaSet,
    /// so no replica is updated, and sets Progressing=Unknown with reason DeploymentPaused (kubernetes
    /// pkg/controller/deployment/sync.go, sync and checkPausedConditions).
    /// </summary>
    public static V1Deployment Paused()
    {
        var deployment = Deployment(3, 3, 2, 0, 2, 2);
        deployment.Spec.Paused = true;
        deployment.Status.Conditions = [new V1DeploymentCondition { Type = "Progressing", Status = "Unknown", Reason = "DeploymentPaused", Message = "Deployment is paused" }];
        return deployment;
    }

    /// <summary>
    /// A rollout whose new pods the API server refuses (here a ResourceQuota): the ReplicaSet controller records
    /// ReplicaFailure/FailedCreate with the refusal (pkg/controller/replicaset/replica_set_utils.go, calculateStatus) and
    /// the deployment controller copies it next to a Progressing condition still True (deployment/progress.go).
    /// </summary>
    public static V1Deployment RefusedPods()
    {
        var deployment = Deployment(3, 3, 2, 0, 2, 2);
        deployment.Status.Conditions =
        [
            new V1DeploymentCondition { Type = "Progressing", Status = "True", Reason = "ReplicaSetUpdated", Message = "ReplicaSet \"cloudage-6c8f\" is progressing." },
            new V1DeploymentCondition
            {
                Type = "ReplicaFailure", Status = "True", Reason = "FailedCreate",
                Message = "pods \"cloudage-6c8f-x2x9q\" is forbidden: exceeded quota: compute, requested: limits.memory=512Mi, used: limits.memory=1Gi, limited: limits.memory=1Gi",
            },
        ];
        return deployment;
    }

    public static V1Service Service(string? hostname = null, string? ip = null, int port = 80, string type = "LoadBalancer") => new()
    {
        Metadata = new V1ObjectMeta { Name = "cloudage", NamespaceProperty = "cloudage", Uid = ServiceUid },
        Spec = new V1ServiceSpec { Type = type, Ports = [new V1ServicePort { Port = port, Protocol = "TCP" }] },
        Status = new V1ServiceStatus
        {
            LoadBalancer = new V1LoadBalancerStatus
            {
                Ingress = hostname is null && ip is null ? null : [new V1LoadBalancerIngress { Hostname = hostname, Ip = ip }],
            },
        },
    };

    /// <summary>An Event about the Service, as a controller's event recorder writes it (k8s.io/client-go tools/record).</summary>
    public static Corev1Event ServiceEvent(string type, string reason, string message, DateTime at, string uid = ServiceUid, string component = "service") => new()
    {
        Metadata = new V1ObjectMeta { Name = $"cloudage.{at.Ticks:x}", NamespaceProperty = "cloudage" },
        InvolvedObject = new V1ObjectReference { Kind = "Service", NamespaceProperty = "cloudage", Name = "cloudage", Uid = uid, ApiVersion = "v1" },
        Type = type,
        Reason = reason,
        Message = message,
        Source = new V1EventSource { Component = component },
        FirstTimestamp = at,
        LastTimestamp = at,
        Count = 1,
    };
}
