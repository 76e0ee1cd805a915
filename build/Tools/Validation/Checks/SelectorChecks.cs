using CloudAge.Tools.Validation.Yaml;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Validation.Checks;

/// <summary>Selectors must select: a workload its own pods, a Service some pods, on ports those pods open.</summary>
internal static class SelectorChecks
{
    public static void Run(CheckContext context)
    {
        foreach (var workload in context.Workloads)
        {
            CheckWorkloadSelector(workload, context.Findings);
        }

        // Workloads by namespace and pod label, so each Service looks only at the pods its rarest label selects.
        var index = context.Workloads
            .SelectMany(w => w.Labels.Select(l => (Key: (w.Document.Namespace, l.Key, l.Value), Workload: w)))
            .ToLookup(p => p.Key, p => p.Workload);
        foreach (var service in context.OfKind("Service"))
        {
            CheckService(service, context, index);
        }
    }

    private static void CheckWorkloadSelector(Workload workload, FindingList findings)
    {
        var selector = workload.Document.Root.At("spec", "selector", "matchLabels");
        var labels = workload.Labels;
        foreach (var (key, value) in selector.Entries())
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value.Text())
            {
                findings.Add(workload.Document.File, value, RuleIds.WorkloadSelector,
                    $"{workload.Document.Describe()} selects {key}={value.Text()} but its pod template labels are {Format(labels)}; the API server rejects a selector that does not match the template");
            }
        }
    }

    private static void CheckService(ManifestDocument service, CheckContext context, ILookup<(string?, string, string), Workload> index)
    {
        var selectorNode = service.Root.At("spec", "selector");
        var selector = selectorNode.Entries().ToDictionary(e => e.Key, e => e.Value.Text() ?? "", StringComparer.Ordinal);
        if (selector.Count == 0)
        {
            return;
        }

        var candidates = selector.Select(s => index[(service.Namespace, s.Key, s.Value)]).MinBy(c => c.Count())!;
        var selected = candidates.Where(w => selector.All(s => w.Labels.TryGetValue(s.Key, out var v) && v == s.Value)).ToList();
        if (selected.Count == 0)
        {
            var seen = context.Workloads.Where(w => w.Document.Namespace == service.Namespace).Take(5).Select(w => $"{w.Document.Describe()} has {Format(w.Labels)}");
            context.Findings.Add(service.File, selectorNode!, RuleIds.ServiceSelector,
                $"Service {service.Name} selects {Format(selector)} but no pod template in namespace {service.Namespace ?? "(none)"} carries these labels ({string.Join("; ", seen.DefaultIfEmpty("no workloads"))})");
            return;
        }

        var containers = selected.SelectMany(w => w.Containers).ToList();
        foreach (var port in service.Root.At("spec", "ports").Items())
        {
            var target = port.At("targetPort") ?? port.At("port");
            if (target.Text() is { } value && !containers.Any(c => Ports.Declares(c, value)))
            {
                context.Findings.Add(service.File, target!, RuleIds.ServiceTargetPort,
                    $"Service {service.Name} sends traffic to port {value}, but no container of {string.Join(", ", selected.Select(w => w.Document.Describe()))} declares it (containerPort or port name)");
            }
        }
    }

    private static string Format(IReadOnlyDictionary<string, string> labels) =>
        labels.Count == 0 ? "(no labels)" : string.Join(",", labels.Select(l => $"{l.Key}={l.Value}"));
}

/// <summary>Matching a port reference (number or name) against a container's declared ports.</summary>
internal static class Ports
{
    public static bool Declares(YamlNode container, string portOrName) =>
        container.At("ports").Items().Any(p => p.At("containerPort").Text() == portOrName || p.At("name").Text() == portOrName);
}
