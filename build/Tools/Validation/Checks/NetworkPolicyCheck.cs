using CloudAge.Tools.Validation.Yaml;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Validation.Checks;

/// <summary>
/// Every workload's pods are selected by a NetworkPolicy that governs both directions, lets in only the ports its
/// containers serve, and lets out DNS, HTTPS and the EKS Pod Identity agent (169.254.170.23:80, as the EKS user
/// guide's pod-id-agent page lists it). Semantics as in kubernetes.io/docs/concepts/services-networking/network-policies.
/// </summary>
internal static class NetworkPolicyCheck
{
    private const string PodIdentityAgent = "169.254.170.23/32";

    public static void Run(CheckContext context)
    {
        foreach (var workload in context.Workloads.Where(w => w.Document.Kind is "Deployment" or "StatefulSet" or "DaemonSet"))
        {
            var document = workload.Document;
            var policies = context.OfKind("NetworkPolicy").Where(p => p.Namespace == document.Namespace && AvailabilityChecks.Selects(p.Root.At("spec", "podSelector"), workload.Labels)).ToList();
            if (policies.Count == 0)
            {
                context.Findings.Add(document.File, document.Root.Nearest("spec", "template", "metadata", "labels"), RuleIds.NetworkPolicy,
                    $"no NetworkPolicy selects the pods of {document.Describe()}, so any pod in the cluster may reach them and they may reach anything; add one");
                continue;
            }
            var served = workload.Containers.SelectMany(c => c.At("ports").Items()).SelectMany(p => new[] { p.At("containerPort").Text(), p.At("name").Text() })
                .OfType<string>().ToHashSet(StringComparer.Ordinal);
            foreach (var policy in policies)
                CheckPolicy(context, policy, served);
        }
    }

    private static void CheckPolicy(CheckContext context, ManifestDocument policy, HashSet<string> served)
    {
        var spec = policy.Root.At("spec");
        var types = spec.At("policyTypes").Items().Select(t => t.Text()).ToList();
        if (!types.Contains("Ingress") || !types.Contains("Egress"))
        {
            context.Findings.Add(policy.File, policy.Root.Nearest("spec", "policyTypes"), RuleIds.NetworkPolicy,
                $"{policy.Describe()} does not list both Ingress and Egress in policyTypes, so one direction stays open");
        }
        foreach (var rule in spec.At("ingress").Items())
        {
            var ports = rule.At("ports").Items().ToList();
            if (ports.Count == 0)
                context.Findings.Add(policy.File, rule, RuleIds.NetworkPolicy, $"{policy.Describe()} has an ingress rule without ports, which opens every port; list port 80");
            foreach (var port in ports.Where(p => !served.Contains(p.At("port").Text() ?? "")))
            {
                context.Findings.Add(policy.File, port.At("port") ?? port, RuleIds.NetworkPolicy,
                    $"{policy.Describe()} lets traffic in on port {port.At("port").Text() ?? "(any)"}, which no container serves; allow only the served port (80)");
            }
        }
        var egress = spec.At("egress").Items().ToList();
        var missing = new List<string>();
        if (!egress.Any(r => Allows(r, "53", "UDP")))
            missing.Add("DNS (UDP 53)");
        if (!egress.Any(r => Allows(r, "443", "TCP")))
            missing.Add("HTTPS (TCP 443)");
        if (!egress.Any(r => Allows(r, "80", "TCP") && r.At("to").Items().Any(t => t.At("ipBlock", "cidr").Text() == PodIdentityAgent)))
            missing.Add($"the EKS Pod Identity agent ({PodIdentityAgent} TCP 80)");
        if (missing.Count > 0)
        {
            context.Findings.Add(policy.File, policy.Root.Nearest("spec", "egress"), RuleIds.NetworkPolicy,
                $"{policy.Describe()} blocks {string.Join(", ", missing)}, which the app needs to resolve and call AWS");
        }
    }

    private static bool Allows(YamlNode rule, string port, string protocol) =>
        rule.At("ports").Items().Any(p => p.At("port").Text() == port && (p.At("protocol").Text() ?? "TCP") == protocol);
}
