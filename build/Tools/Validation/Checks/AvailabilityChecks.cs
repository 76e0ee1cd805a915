using System.Globalization;
using CloudAge.Tools.Validation.Yaml;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Validation.Checks;

/// <summary>
/// Staying up through node upgrades and load: a PodDisruptionBudget and a zone/node spread for every replicated
/// Deployment, a sound HorizontalPodAutoscaler, a liveness probe on /healthz, and namespaces that enforce the
/// restricted Pod Security Standard (kubernetes.io/docs/concepts/security/pod-security-admission).
/// </summary>
internal static class AvailabilityChecks
{
    public const string ZoneKey = "topology.kubernetes.io/zone";
    public const string NodeKey = "kubernetes.io/hostname";
    private const string EnforceLabel = "pod-security.kubernetes.io/enforce";

    public static void Run(CheckContext context)
    {
        foreach (var workload in context.Workloads.Where(w => w.Document.Kind == "Deployment"))
        {
            var replicas = workload.Document.Root.At("spec", "replicas").Integer() ?? 1;
            // An autoscaler may scale down to its minReplicas (default 1) whatever spec.replicas says.
            var autoscaler = AutoscalerOf(context, workload.Document);
            var minimum = autoscaler is null ? replicas : autoscaler.Root.At("spec", "minReplicas").Integer() ?? 1;
            if (Math.Max(replicas, minimum) < 2)
                continue;
            CheckDisruptionBudget(context, workload, minimum);
            CheckSpread(context, workload);
        }
        foreach (var autoscaler in context.OfKind("HorizontalPodAutoscaler"))
            CheckAutoscaler(context, autoscaler);
        foreach (var workload in context.Workloads)
        {
            foreach (var container in workload.Containers)
            {
                var path = container.At("livenessProbe", "httpGet", "path");
                if (path is not null && path.Text() != "/healthz")
                {
                    context.Findings.Add(workload.Document.File, path, RuleIds.LivenessHealthz,
                        $"the liveness probe of container {container.At("name").Text()} asks {path.Text()}; ask /healthz, which answers without calling AWS, so a slow dependency does not get pods restarted");
                }
            }
        }
        foreach (var ns in context.OfKind("Namespace"))
        {
            var label = ns.Root.At("metadata", "labels", EnforceLabel);
            if (label.Text() != "restricted")
            {
                context.Findings.Add(ns.File, label ?? ns.Root.Nearest("metadata", "labels"), RuleIds.NamespacePodSecurity,
                    $"Namespace {ns.Name} has {EnforceLabel}: {label.Text() ?? "(not set)"}; set it to restricted so the API server refuses pods that run as root or escalate privileges");
            }
        }
    }

    public static ManifestDocument? AutoscalerOf(CheckContext context, ManifestDocument deployment) =>
        context.OfKind("HorizontalPodAutoscaler").FirstOrDefault(h => h.Namespace == deployment.Namespace
            && h.Root.At("spec", "scaleTargetRef", "kind").Text() == deployment.Kind
            && h.Root.At("spec", "scaleTargetRef", "name").Text() == deployment.Name);

    /// <summary>
    /// An int-or-percent field as the disruption controller scales it (pkg/controller/disruption getExpectedPodCount,
    /// apimachinery util/intstr GetScaledValueFromIntOrPercent, rounding up): a number as it is, "n%" n% of
    /// <paramref name="total"/>; null for anything else.
    /// </summary>
    private static int? Scaled(YamlNode? value, int total) =>
        value.Integer() ?? (value.Text() is { } text && text.EndsWith('%')
            && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var percent)
                ? (int)Math.Ceiling(percent * (double)total / 100) : null);

    private static void CheckDisruptionBudget(CheckContext context, Workload workload, int minimumReplicas)
    {
        var document = workload.Document;
        var budgets = context.OfKind("PodDisruptionBudget").Where(b => b.Namespace == document.Namespace && LabelSelector.Selects(b.Root.At("spec", "selector"), workload.Labels)).ToList();
        var budget = budgets.FirstOrDefault();
        // The eviction API refuses a pod that more than one budget selects, whatever the budgets allow
        // (pkg/registry/core/pod/storage/eviction.go: "This pod has more than one PodDisruptionBudget, which the eviction
        // subresource does not support.", HTTP 500), so every node drain stops at these pods.
        foreach (var extra in budgets.Skip(1))
        {
            context.Findings.Add(extra.File, extra.Root.Nearest("spec", "selector"), RuleIds.PodDisruptionBudget,
                $"{extra.Describe()} selects the pods of {document.Describe()} as {budget!.Describe()} does; the eviction API refuses a pod with more than one budget, so node drains fail on them; keep one budget per workload");
        }

        if (budget is null)
        {
            context.Findings.Add(document.File, document.Root.Nearest("spec", "replicas"), RuleIds.PodDisruptionBudget,
                $"{document.Describe()} has no PodDisruptionBudget selecting its pods, so a node drain may evict every replica at once; add one with minAvailable: 1");
            return;
        }
        var minAvailable = budget.Root.At("spec", "minAvailable");
        var maxUnavailable = budget.Root.At("spec", "maxUnavailable");
        if (minAvailable is null && maxUnavailable is null)
        {
            context.Findings.Add(budget.File, budget.Root.Nearest("spec"), RuleIds.PodDisruptionBudget, $"{budget.Describe()} sets neither minAvailable nor maxUnavailable; set minAvailable: 1");
        }
        else
        {
            // How many pods must stay healthy, as the disruption controller computes it: maxUnavailable first, then
            // minAvailable; percentages of the replica count, rounded up. The eviction API then refuses any eviction
            // that would leave fewer healthy pods (pkg/registry/core/pod/storage/eviction.go).
            var field = maxUnavailable ?? minAvailable!;
            var keep = maxUnavailable is not null ? minimumReplicas - Scaled(maxUnavailable, minimumReplicas) : Scaled(minAvailable, minimumReplicas);
            var setting = $"{(maxUnavailable is not null ? "maxUnavailable" : "minAvailable")} {field.Text()}";
            if (keep <= 0)
            {
                context.Findings.Add(budget.File, field, RuleIds.PodDisruptionBudget,
                    $"{budget.Describe()} lets every pod of {document.Describe()} go at once ({setting} of {minimumReplicas} replica(s) keeps none available); set minAvailable: 1");
            }
            else if (keep >= minimumReplicas)
            {
                context.Findings.Add(budget.File, field, RuleIds.PodDisruptionBudget,
                    $"{budget.Describe()} allows no eviction while {document.Describe()} runs {minimumReplicas} replica(s) ({setting} keeps {keep} available, percentages rounded up), so node drains hang; set minAvailable: 1");
            }
        }
    }

    private static void CheckSpread(CheckContext context, Workload workload)
    {
        var constraints = workload.PodSpec.At("topologySpreadConstraints").Items().ToList();
        foreach (var key in new[] { ZoneKey, NodeKey })
        {
            if (constraints.Any(c => c.At("topologyKey").Text() == key && LabelSelector.Selects(c.At("labelSelector"), workload.Labels)))
                continue;
            context.Findings.Add(workload.Document.File, workload.Document.Root.Nearest("spec", "template", "spec", "topologySpreadConstraints"),
                RuleIds.TopologySpread,
                $"{workload.Document.Describe()} does not spread its pods over {key} (a topologySpreadConstraints entry with that topologyKey and a labelSelector matching the pod labels), so its replicas may share one {(key == ZoneKey ? "zone" : "node")}");
        }
    }

    private static void CheckAutoscaler(CheckContext context, ManifestDocument autoscaler)
    {
        var spec = autoscaler.Root.At("spec");
        var target = spec.At("scaleTargetRef");
        if (!context.Defines(target.At("kind").Text() ?? "", target.At("name").Text(), autoscaler.Namespace))
        {
            context.Findings.Add(autoscaler.File, autoscaler.Root.Nearest("spec", "scaleTargetRef", "name"), RuleIds.Autoscaler,
                $"{autoscaler.Describe()} scales {target.At("kind").Text()} {target.At("name").Text()}, which is not defined in namespace {autoscaler.Namespace}");
        }
        var min = spec.At("minReplicas").Integer() ?? 1;
        if (min < 2)
        {
            context.Findings.Add(autoscaler.File, autoscaler.Root.Nearest("spec", "minReplicas"), RuleIds.Autoscaler,
                $"{autoscaler.Describe()} may scale down to {min} replica; set minReplicas: 2 so a node drain never leaves the app without a pod");
        }
        if ((spec.At("maxReplicas").Integer() ?? 0) <= min)
        {
            context.Findings.Add(autoscaler.File, autoscaler.Root.Nearest("spec", "maxReplicas"), RuleIds.Autoscaler,
                $"{autoscaler.Describe()} has maxReplicas {spec.At("maxReplicas").Text()}, not above minReplicas {min}: it can never scale");
        }
        if (!spec.At("metrics").Items().Any(m => m.At("type").Text() == "Resource" && m.At("resource", "name").Text() == "cpu"))
        {
            context.Findings.Add(autoscaler.File, autoscaler.Root.Nearest("spec", "metrics"), RuleIds.Autoscaler,
                $"{autoscaler.Describe()} has no CPU metric; add a Resource metric on cpu with target type Utilization");
        }
    }
}
