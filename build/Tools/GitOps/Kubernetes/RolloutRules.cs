using CloudAge.Common.Text;
using k8s.Models;

namespace CloudAge.Tools.GitOps.Kubernetes;

/// <summary>One reading of a Deployment, judged by `kubectl rollout status`'s rules and worded as kubectl words it.
/// <see cref="Failure"/> is the rest of a sentence that starts with the Deployment's name: what is wrong and what to do.</summary>
internal sealed record RolloutState(bool Done, string Line, string? Failure);

internal static class RolloutRules
{
    // kubectl pkg/polymorphichelpers/rollout_status.go (DeploymentStatusViewer.Status), in its order.
    public static RolloutState Evaluate(V1Deployment deployment)
    {
        var name = deployment.Metadata?.Name ?? "?";
        var ns = deployment.Metadata?.NamespaceProperty ?? "default";
        var status = deployment.Status;
        if (deployment.Metadata?.Generation > (status?.ObservedGeneration ?? 0))
            return new(false, "Waiting for deployment spec update to be observed...", null);
        var progressing = status?.Conditions?.FirstOrDefault(c => c.Type == "Progressing");
        if (progressing?.Reason == "ProgressDeadlineExceeded")
            return new(false, $"deployment \"{name}\" exceeded its progress deadline",
                $"exceeded its progress deadline: {PeerText.OneLine(progressing.Message ?? "ProgressDeadlineExceeded", 600)}. Its new pods do not become available: " +
                $"see why with `kubectl -n {ns} describe deployment {name}` and `kubectl -n {ns} get pods`, fix the cause and deploy again.");
        // An unset spec.replicas means 1, as the API server defaults it.
        var wanted = deployment.Spec?.Replicas ?? 1;
        var updated = status?.UpdatedReplicas ?? 0;
        var replicas = status?.Replicas ?? 0;
        var available = status?.AvailableReplicas ?? 0;
        var waiting =
            updated < wanted ? $"Waiting for deployment \"{name}\" rollout to finish: {updated} out of {wanted} new replicas have been updated..."
            : replicas > updated ? $"Waiting for deployment \"{name}\" rollout to finish: {replicas - updated} old replicas are pending termination..."
            : available < updated ? $"Waiting for deployment \"{name}\" rollout to finish: {available} of {updated} updated replicas are available..."
            : null;
        if (waiting is null)
            return new(true, $"deployment \"{name}\" successfully rolled out", null);
        // A paused Deployment is still observed but gets no new ReplicaSet, so kubectl would wait for ever; Argo CD calls it
        // Suspended (gitops-engine pkg/health/health_deployment.go) and the controller stops counting its progress deadline
        // (kubernetes pkg/controller/deployment/sync.go, checkPausedConditions: Progressing=Unknown, DeploymentPaused).
        if (deployment.Spec?.Paused == true)
            return new(false, $"deployment \"{name}\" is paused", "is paused (spec.paused: true), so its new pods are not rolled out: resume it with " +
                $"`kubectl -n {ns} rollout resume deployment {name}` (and take spec.paused out of the manifest), then run GetUrl again.");
        // Pods the API server refuses to create (a quota, Pod Security admission, a missing ServiceAccount) leave the wait
        // above unchanged until the progress deadline; the controller copies the ReplicaSet's refusal into the Deployment
        // (pkg/controller/deployment/progress.go, getReplicaFailures; replicaset/replica_set_utils.go: FailedCreate).
        var failure = status?.Conditions?.FirstOrDefault(c => c.Type == "ReplicaFailure" && c.Status == "True");
        return failure is null ? new(false, waiting, null)
            : new(false, $"{waiting} ({failure.Reason}: {PeerText.OneLine(failure.Message, 400)})", null);
    }
}
