using k8s.Models;

namespace CloudAge.Tools.GitOps.Kubernetes;

/// <summary>One reading of a Deployment, judged by `kubectl rollout status`'s rules and worded as kubectl words it.</summary>
internal sealed record RolloutState(bool Done, string Line, string? Failure);

internal static class RolloutRules
{
    public static RolloutState Evaluate(V1Deployment deployment)
    {
        var name = deployment.Metadata?.Name ?? "?";
        var status = deployment.Status;
        if (deployment.Metadata?.Generation > (status?.ObservedGeneration ?? 0))
            return new(false, "Waiting for deployment spec update to be observed...", null);
        var progressing = status?.Conditions?.FirstOrDefault(c => c.Type == "Progressing");
        if (progressing?.Reason == "ProgressDeadlineExceeded")
            return new(false, $"deployment \"{name}\" exceeded its progress deadline", progressing.Message ?? "ProgressDeadlineExceeded");
        // An unset spec.replicas means 1, as the API server defaults it.
        var wanted = deployment.Spec?.Replicas ?? 1;
        var updated = status?.UpdatedReplicas ?? 0;
        var replicas = status?.Replicas ?? 0;
        var available = status?.AvailableReplicas ?? 0;
        if (updated < wanted)
            return new(false, $"Waiting for deployment \"{name}\" rollout to finish: {updated} out of {wanted} new replicas have been updated...", null);
        if (replicas > updated)
            return new(false, $"Waiting for deployment \"{name}\" rollout to finish: {replicas - updated} old replicas are pending termination...", null);
        if (available < updated)
            return new(false, $"Waiting for deployment \"{name}\" rollout to finish: {available} of {updated} updated replicas are available...", null);
        return new(true, $"deployment \"{name}\" successfully rolled out", null);
    }
}
