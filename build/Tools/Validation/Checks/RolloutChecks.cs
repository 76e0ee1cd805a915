using CloudAge.Tools.Validation.Yaml;

namespace CloudAge.Tools.Validation.Checks;

/// <summary>High availability: at least two replicas, and rolling updates that never take a serving pod away first.</summary>
internal static class RolloutChecks
{
    public static void Run(CheckContext context)
    {
        foreach (var document in context.Documents.Where(d => d.Kind is "Deployment" or "StatefulSet"))
        {
            // Without spec.replicas an autoscaler's minReplicas (default 1) is the floor: the HPA docs recommend leaving
            // spec.replicas out when an HPA manages the workload (kubernetes.io/docs/tasks/run-application/
            // horizontal-pod-autoscale, "Migrating Deployments and StatefulSets to horizontal autoscaling").
            var replicas = document.Root.At("spec", "replicas");
            var autoscaler = replicas is null ? AvailabilityChecks.AutoscalerOf(context, document) : null;
            var minimum = replicas is not null ? replicas.Integer() ?? 0 : autoscaler?.Root.At("spec", "minReplicas").Integer() ?? 1;
            if (minimum < 2)
            {
                var runs = autoscaler is not null
                    ? $"may scale down to {minimum} replica(s), the minReplicas of {autoscaler.Describe()}"
                    : $"runs {replicas.Text() ?? "1 (the default)"} replica(s)";
                context.Findings.Add(document.File, document.Root.Nearest("spec", "replicas"), RuleIds.MinReplicas,
                    $"{document.Describe()} {runs}; at least 2 keep the service up while a node drains");
            }

            if (document.Kind == "Deployment")
            {
                CheckStrategy(document, context.Findings);
            }
        }
    }

    private static void CheckStrategy(ManifestDocument document, FindingList findings)
    {
        var strategy = document.Root.At("spec", "strategy");
        if (strategy.At("type").Text() is "Recreate")
        {
            findings.Add(document.File, strategy.At("type")!, RuleIds.MaxUnavailableZero,
                $"{document.Describe()} uses strategy Recreate, which stops every pod before starting new ones; use RollingUpdate with maxUnavailable: 0");
            return;
        }

        var maxUnavailable = strategy.At("rollingUpdate", "maxUnavailable");
        if (maxUnavailable.Text() is not ("0" or "0%"))
        {
            findings.Add(document.File, document.Root.Nearest("spec", "strategy", "rollingUpdate", "maxUnavailable"), RuleIds.MaxUnavailableZero,
                $"{document.Describe()} has maxUnavailable {maxUnavailable.Text() ?? "25% (the default)"}; set spec.strategy.rollingUpdate.maxUnavailable: 0 so a rollout never lowers capacity");
        }
    }
}
