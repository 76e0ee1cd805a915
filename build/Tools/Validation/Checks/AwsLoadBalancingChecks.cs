using CloudAge.Tools.Validation.Yaml;

namespace CloudAge.Tools.Validation.Checks;

/// <summary>
/// What EKS adds to Kubernetes' own rules: pods behind a Network Load Balancer that targets pod IPs, and the region the
/// EKS pod identity webhook writes into each container's environment.
/// </summary>
internal static class AwsLoadBalancingChecks
{
    private const string TargetTypeAnnotation = "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type";
    private const string ReadinessGateLabel = "elbv2.k8s.aws/pod-readiness-gate-inject";
    private static readonly string[] RegionVariables = ["AWS_REGION", "AWS_DEFAULT_REGION"];

    public static void Run(CheckContext context)
    {
        foreach (var service in context.OfKind("Service").Where(TargetsPodIps))
        {
            ReadinessGate(context, service);
            var selector = SelectorChecks.ServiceSelector(service);
            foreach (var workload in SelectorChecks.SelectedBy(context, service, selector))
                GracefulStop(context, service, workload);
        }
        foreach (var workload in context.Workloads)
            RegionInEnv(context, workload);
    }

    // The AWS Load Balancer Controller registers pod IPs as the NLB's targets (target type ip).
    private static bool TargetsPodIps(ManifestDocument service) =>
        service.Root.At("metadata", "annotations", TargetTypeAnnotation).Text() == "ip";

    // kubernetes-sigs/aws-load-balancer-controller docs/deploy/pod_readiness_gate.md: without the namespace label a
    // rolling update can leave the target group with only targets still registering ("initial") or draining, "which
    // causes a service outage"; with it the controller holds each new pod not ready until its target is healthy.
    private static void ReadinessGate(CheckContext context, ManifestDocument service)
    {
        var ns = context.OfKind("Namespace").FirstOrDefault(n => n.Name == service.Namespace);
        if (ns is not null && ns.Root.At("metadata", "labels", ReadinessGateLabel).Text() == "enabled")
            return;
        var where = ns is null ? $"namespace {service.Namespace ?? "(none)"} is not declared in the manifests, so nothing labels it" : $"Namespace {ns.Name} lacks the label";
        context.Findings.Add(service.File, service.Root.At("metadata", "annotations", TargetTypeAnnotation)!, RuleIds.NlbReadinessGate,
            $"{service.Describe()} puts pod IPs behind an NLB but {where} {ReadinessGateLabel}: enabled, so a rollout can leave the load balancer " +
            "with no healthy target; add the label to the Namespace manifest");
    }

    // The NLB goes on sending new connections to a pod after Kubernetes marks it terminating, until it has deregistered
    // the target: about two minutes for IP targets, whatever the deregistration delay (aws-load-balancer-controller
    // issues #2366 and #3270; EKS best practices, "Load balancing": delay the shutdown with a preStop hook). A pod that
    // stops on SIGTERM at once refuses them.
    private static void GracefulStop(CheckContext context, ManifestDocument service, Workload workload)
    {
        var grace = workload.PodSpec.At("terminationGracePeriodSeconds").Integer() ?? 30; // the API's default
        foreach (var container in workload.Containers)
        {
            var name = container.At("name").Text();
            var preStop = container.At("lifecycle", "preStop");
            if (preStop is null)
            {
                context.Findings.Add(workload.Document.File, container, RuleIds.NlbGracefulStop,
                    $"container {name} in {workload.Document.Describe()} is behind the NLB of {service.Describe()} but has no lifecycle.preStop, so it stops " +
                    "while the NLB still sends it connections (for about two minutes); add preStop: {sleep: {seconds: 120}} and terminationGracePeriodSeconds: 160");
            }
            else if (preStop.At("sleep", "seconds").Integer() is { } sleep && sleep >= grace)
            {
                context.Findings.Add(workload.Document.File, preStop.At("sleep", "seconds")!, RuleIds.NlbGracefulStop,
                    $"container {name} in {workload.Document.Describe()} sleeps {sleep} s in preStop but the pod's terminationGracePeriodSeconds is {grace}, " +
                    $"so it is killed before it stops serving; set terminationGracePeriodSeconds above {sleep}, e.g. {sleep + 30}");
            }
        }
    }

    // aws/amazon-eks-pod-identity-webhook pkg/handler/handler.go: for IRSA and Pod Identity the webhook appends
    // AWS_REGION and AWS_DEFAULT_REGION (the cluster's region) to every container whose env lacks them; it does not
    // look at envFrom, and env wins over envFrom, so a region given only through envFrom is replaced.
    private static void RegionInEnv(CheckContext context, Workload workload)
    {
        foreach (var container in workload.Containers)
        {
            var inEnv = container.At("env").Items().Select(e => e.At("name").Text()).ToHashSet(StringComparer.Ordinal);
            foreach (var source in container.At("envFrom").Items())
            {
                var (kind, reference) = source.At("configMapRef") is { } map ? ("ConfigMap", map) : ("Secret", source.At("secretRef"));
                var referenced = context.Find(kind, reference.At("name").Text(), workload.Document.Namespace);
                var prefix = source.At("prefix").Text() ?? "";
                var keys = referenced?.Root.At("data").Entries().Concat(referenced.Root.At("stringData").Entries()).Select(e => prefix + e.Key) ?? [];
                foreach (var variable in keys.Where(k => RegionVariables.Contains(k, StringComparer.Ordinal) && !inEnv.Contains(k)))
                {
                    context.Findings.Add(workload.Document.File, source, RuleIds.AwsRegionEnv,
                        $"container {container.At("name").Text()} in {workload.Document.Describe()} gets {variable} only through envFrom {kind} {referenced!.Name}; " +
                        $"on EKS the pod identity webhook sets {variable} in env to the cluster's region, which wins; name it in env with valueFrom.configMapKeyRef");
                }
            }
        }
    }
}
