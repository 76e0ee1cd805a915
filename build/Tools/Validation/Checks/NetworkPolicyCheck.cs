using System.Globalization;
using System.Net;
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
    private static readonly IPAddress PodIdentityAgent = IPAddress.Parse("169.254.170.23");

    public static void Run(CheckContext context)
    {
        foreach (var workload in context.Workloads.Where(w => w.Document.Kind is "Deployment" or "StatefulSet" or "DaemonSet"))
        {
            var document = workload.Document;
            var policies = context.OfKind("NetworkPolicy").Where(p => p.Namespace == document.Namespace && LabelSelector.Selects(p.Root.At("spec", "podSelector"), workload.Labels)).ToList();
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
            CheckEgress(context, document, policies);
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
            foreach (var port in ports.Where(p => !ServesAll(p, served)))
            {
                var opened = port.At("endPort") is { } end ? $"ports {port.At("port").Text()}-{end.Text()}" : $"port {port.At("port").Text() ?? "(any)"}";
                context.Findings.Add(policy.File, port.At("port") ?? port, RuleIds.NetworkPolicy,
                    $"{policy.Describe()} lets traffic in on {opened}, beyond the ports its containers serve; allow only the served port (80)");
            }
        }
    }

    /// <summary>Policies add up: a pod may send what any policy selecting it allows (so a default-deny policy with <c>podSelector: {}</c> beside an allowing one is fine).</summary>
    private static void CheckEgress(CheckContext context, ManifestDocument workload, List<ManifestDocument> policies)
    {
        var egress = policies.SelectMany(p => p.Root.At("spec", "egress").Items()).ToList();
        var missing = new List<string>();
        if (!egress.Any(r => Allows(r, 53, "UDP")))
            missing.Add("DNS (UDP 53)");
        if (!egress.Any(r => Allows(r, 443, "TCP")))
            missing.Add("HTTPS (TCP 443)");
        if (!egress.Any(r => Allows(r, 80, "TCP") && Reaches(r, PodIdentityAgent)))
            missing.Add($"the EKS Pod Identity agent ({PodIdentityAgent}/32 TCP 80)");
        if (missing.Count > 0)
        {
            var policy = policies.Find(p => p.Root.At("spec", "egress") is not null) ?? policies[0];
            var blocking = policies.Count == 1 ? $"{policy.Describe()} blocks" : $"the NetworkPolicies selecting {workload.Describe()} ({string.Join(", ", policies.Select(p => p.Name))}) together block";
            context.Findings.Add(policy.File, policy.Root.Nearest("spec", "egress"), RuleIds.NetworkPolicy,
                $"{blocking} {string.Join(", ", missing)}, which the app needs to resolve and call AWS");
        }
    }

    // An ingress port entry opens only served ports: its port (number or name), or each port of its port..endPort range.
    private static bool ServesAll(YamlNode entry, HashSet<string> served) =>
        entry.At("endPort").Integer() is { } end
            ? entry.At("port").Integer() is { } first && first <= end && end - first < served.Count
                && Enumerable.Range(first, end - first + 1).All(n => served.Contains(n.ToString(CultureInfo.InvariantCulture)))
            : served.Contains(entry.At("port").Text() ?? "");

    // networking/v1 types.go: an egress rule whose ports list is empty or missing matches every port; an entry without
    // port matches every port of its protocol (default TCP), one with endPort the range port..endPort. A named port
    // names the destination pod's port, unknown here, so it is not counted.
    private static bool Allows(YamlNode rule, int port, string protocol) =>
        !rule.At("ports").Items().Any() || rule.At("ports").Items().Any(p => (p.At("protocol").Text() ?? "TCP") == protocol
            && (p.At("port") is null || (p.At("port").Integer() is { } first && first <= port && port <= (p.At("endPort").Integer() ?? first))));

    // An empty or missing to list matches every destination; otherwise an ipBlock must hold the address outside its except.
    private static bool Reaches(YamlNode rule, IPAddress address) =>
        !rule.At("to").Items().Any() || rule.At("to").Items().Select(peer => peer.At("ipBlock")).Any(block =>
            InCidr(block.At("cidr").Text(), address) && !block.At("except").Items().Any(e => InCidr(e.Text(), address)));

    private static bool InCidr(string? cidr, IPAddress address)
    {
        var parts = cidr?.Split('/');
        if (parts is not [var network, var length] || !IPAddress.TryParse(network, out var prefix) || prefix.AddressFamily != address.AddressFamily
            || !int.TryParse(length, NumberStyles.None, CultureInfo.InvariantCulture, out var bits) || bits > prefix.GetAddressBytes().Length * 8)
            return false;
        var (a, b) = (prefix.GetAddressBytes(), address.GetAddressBytes());
        return Enumerable.Range(0, bits).All(i => ((a[i / 8] ^ b[i / 8]) & (0x80 >> (i % 8))) == 0);
    }
}
