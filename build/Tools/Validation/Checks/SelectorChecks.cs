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

        foreach (var service in context.OfKind("Service"))
        {
            CheckService(service, context);
        }
    }

    private static void CheckWorkloadSelector(Workload workload, FindingList findings)
    {
        var labels = workload.Labels;
        var document = workload.Document;
        var selector = document.Root.At("spec", "selector");
        // pkg/apis/apps/validation ValidateDeploymentSpec, ValidateReplicaSetSpec, ValidateStatefulSetSpec,
        // ValidateDaemonSetSpec: spec.selector is required ("Required value"), and "empty selector is invalid".
        if (document.Kind is "Deployment" or "ReplicaSet" or "StatefulSet" or "DaemonSet" && !LabelSelector.Requirements(selector).Any())
        {
            findings.Add(document.File, selector ?? document.Root.Nearest("spec", "selector"), RuleIds.WorkloadSelector,
                $"{document.Describe()} has {(selector is null ? "no spec.selector" : "an empty spec.selector")}, which the API server refuses for apps/v1 workloads; add spec.selector.matchLabels with its pod template labels ({Format(labels)})");
            return;
        }

        foreach (var requirement in LabelSelector.Requirements(workload.Document.Root.At("spec", "selector")).Where(r => !r.Matches(labels)))
        {
            findings.Add(workload.Document.File, requirement.Node, RuleIds.WorkloadSelector,
                $"{workload.Document.Describe()} selects {requirement.Text} but its pod template labels are {Format(labels)}; the API server rejects a selector that does not match the template");
        }
    }

    private static void CheckService(ManifestDocument service, CheckContext context)
    {
        var selectorNode = service.Root.At("spec", "selector");
        var selector = ServiceSelector(service);
        if (selector.Count == 0)
        {
            return;
        }

        var selected = SelectedBy(context, service, selector).ToList();
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

    /// <summary>The workloads whose pods <paramref name="service"/>'s <paramref name="selector"/> selects, found through the
    /// context's label index (only the pods its rarest label selects are matched); none for an empty selector.</summary>
    internal static IEnumerable<Workload> SelectedBy(CheckContext context, ManifestDocument service, IReadOnlyDictionary<string, string> selector) =>
        selector.Count == 0 ? []
        : selector.Select(s => context.WorkloadsByLabel[(service.Namespace, s.Key, s.Value)]).MinBy(c => c.Count())!.Where(w => ServiceSelects(selector, w));

    /// <summary>A Service's spec.selector: a plain map, not a LabelSelector; empty when it has none (then it selects no pods).</summary>
    internal static Dictionary<string, string> ServiceSelector(ManifestDocument service) =>
        service.Root.At("spec", "selector").Entries().ToDictionary(e => e.Key, e => e.Value.Text() ?? "", StringComparer.Ordinal);

    /// <summary>True when the Service's selector (<see cref="ServiceSelector"/>) selects the workload's pods: every pair is one of their labels.</summary>
    internal static bool ServiceSelects(IReadOnlyDictionary<string, string> selector, Workload workload) =>
        selector.Count > 0 && selector.All(s => workload.Labels.TryGetValue(s.Key, out var value) && value == s.Value);

    private static string Format(IReadOnlyDictionary<string, string> labels) =>
        labels.Count == 0 ? "(no labels)" : string.Join(",", labels.Select(l => $"{l.Key}={l.Value}"));
}

/// <summary>
/// A metav1.LabelSelector evaluated as the API server and the controllers evaluate it (apimachinery
/// pkg/apis/meta/v1/helpers.go LabelSelectorAsSelector, pkg/labels Requirement.Matches): every matchLabels pair and
/// every matchExpressions requirement (In, NotIn, Exists, DoesNotExist) must hold, so an empty selector <c>{}</c>
/// selects every pod and a missing one none. A requirement the API server refuses (another operator, In/NotIn without
/// values, Exists/DoesNotExist with values) matches nothing, as LabelSelectorAsSelector returns an error for it.
/// </summary>
internal static class LabelSelector
{
    public static bool Selects(YamlNode? selector, IReadOnlyDictionary<string, string> labels) =>
        selector is YamlMappingNode && Requirements(selector).All(r => r.Matches(labels));

    /// <summary>Each requirement of the selector with the node that states it, for findings that point at the one that fails.</summary>
    public static IEnumerable<Requirement> Requirements(YamlNode? selector) =>
        selector.At("matchLabels").Entries()
            .Select(e => new Requirement(e.Value, e.Key, "In", [e.Value.Text()]))
            .Concat(selector.At("matchExpressions").Items().Select(e => new Requirement(e, e.At("key").Text() ?? "", e.At("operator").Text(), e.At("values").Items().Select(v => v.Text()).ToList())));

    internal sealed record Requirement(YamlNode Node, string Key, string? Operator, IReadOnlyList<string?> Values)
    {
        /// <summary>The requirement in kubectl's selector syntax (app=web, tier in (a,b), !canary).</summary>
        public string Text => Operator switch
        {
            "In" when Values.Count == 1 => $"{Key}={Values[0]}",
            "In" => $"{Key} in ({string.Join(",", Values)})",
            "NotIn" => $"{Key} notin ({string.Join(",", Values)})",
            "Exists" => Key,
            "DoesNotExist" => $"!{Key}",
            _ => $"{Key} {Operator}",
        };

        public bool Matches(IReadOnlyDictionary<string, string> labels)
        {
            var has = labels.TryGetValue(Key, out var value);
            return Operator switch
            {
                "In" => Values.Count > 0 && has && Values.Contains(value),
                "NotIn" => Values.Count > 0 && !(has && Values.Contains(value)),
                "Exists" => Values.Count == 0 && has,
                "DoesNotExist" => Values.Count == 0 && !has,
                _ => false,
            };
        }
    }
}

/// <summary>Matching a port reference (number or name) against a container's declared ports.</summary>
internal static class Ports
{
    public static bool Declares(YamlNode container, string portOrName) =>
        container.At("ports").Items().Any(p => p.At("containerPort").Text() == portOrName || p.At("name").Text() == portOrName);
}
