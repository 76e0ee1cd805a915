using System.Text.RegularExpressions;
using CloudAge.Tools.Validation.Schemas;
using CloudAge.Tools.Validation.Yaml;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Validation.Checks;

/// <summary>
/// What the API server's validation refuses although every field has the right type, so the strict schema check
/// passes it: an invalid object name or label, a rolling update that can never progress, a budget with both bounds, a request
/// above its limit. Each rule names the kubernetes/kubernetes function it follows.
/// </summary>
internal static partial class ApiValidationChecks
{
    private const int SubdomainMaxLength = 253;
    private const int LabelMaxLength = 63;

    /// <summary>
    /// Kinds whose name must be a DNS subdomain (NameIsDNSSubdomain: ValidateDeploymentName, ValidateStatefulSetName,
    /// ValidateDaemonSetName, ValidateReplicaSetName in pkg/apis/apps/validation; ValidateConfigMapName,
    /// ValidateSecretName, ValidateServiceAccountName, ValidatePodName, ValidateReplicationControllerName in
    /// pkg/apis/core/validation, which Job, CronJob, HorizontalPodAutoscaler and PodDisruptionBudget use;
    /// ValidateNetworkPolicyName, ValidateIngressName in pkg/apis/networking/validation; custom resources such as
    /// Argo CD's in apiextensions-apiserver). RBAC kinds are not listed: their names are path segments, which
    /// allow capitals and colons.
    /// </summary>
    private static readonly HashSet<string> SubdomainKinds =
    [
        "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod", "ConfigMap", "Secret",
        "ServiceAccount", "PersistentVolumeClaim", "PodDisruptionBudget", "HorizontalPodAutoscaler", "NetworkPolicy",
        "Ingress", "Application", "AppProject",
    ];

    public static void Run(CheckContext context)
    {
        foreach (var document in context.Documents)
        {
            CheckName(document, context.Findings);
            if (document.Kind != KustomizationSchema.Kind)
            {
                CheckLabels(document, context.Findings);
            }

            switch (document.Kind)
            {
                case "Deployment":
                    CheckRollingUpdate(document, context.Findings);
                    break;
                case "PodDisruptionBudget":
                    CheckBudgetBounds(document, context.Findings);
                    break;
                case "Service" when document.ApiVersion == "v1":
                    CheckServicePorts(document, context.Findings);
                    break;
            }
        }

        foreach (var workload in context.Workloads)
        {
            foreach (var container in workload.AllContainers)
                CheckRequestsWithinLimits(workload.Document, container, context.Findings);
            CheckPodResources(workload, context.Findings);
            CheckRestartPolicy(workload, context.Findings);
        }
    }

    /// <summary>
    /// The restart policy the pod template may have, by kind. pkg/apis/batch/validation validateJobSpec: a Job's (and a
    /// CronJob's jobTemplate's) must be OnFailure or Never, and an unset one counts as Always (SetDefaults_PodSpec) and is
    /// refused ("spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never""); with a
    /// podFailurePolicy only Never. pkg/apis/apps/validation (ValidatePodTemplateSpecForReplicaSet, ...ForStatefulSet,
    /// DaemonSet's): Deployment, ReplicaSet, StatefulSet and DaemonSet pods must be Always ("Unsupported value").
    /// </summary>
    private static void CheckRestartPolicy(Workload workload, FindingList findings)
    {
        var document = workload.Document;
        var policy = workload.PodSpec.At("restartPolicy").Text();
        var at = workload.PodSpec.KeyOf("restartPolicy") ?? workload.Containers.FirstOrDefault() ?? document.Root;
        switch (document.Kind)
        {
            case "Job" or "CronJob" when document.ApiVersion == "batch/v1":
                var jobSpec = document.Kind == "Job" ? document.Root.At("spec") : document.Root.At("spec", "jobTemplate", "spec");
                if (jobSpec.At("podFailurePolicy") is not null && policy != "Never")
                    findings.Add(document.File, at, RuleIds.RestartPolicyValid,
                        $"{document.Describe()} has a podFailurePolicy, so its pods must set restartPolicy: Never ({(policy is null ? "unset" : policy)} here), or the API server refuses it");
                else if (policy is not ("OnFailure" or "Never"))
                    findings.Add(document.File, at, RuleIds.RestartPolicyValid,
                        $"{document.Describe()} runs pods with restartPolicy {(policy is null ? "unset, which defaults to Always" : policy)}; the API server refuses a {document.Kind} whose pods are not OnFailure or Never: set restartPolicy: Never (or OnFailure) in the pod template");
                break;
            case "Deployment" or "ReplicaSet" or "StatefulSet" or "DaemonSet" when policy is not null and not "Always":
                findings.Add(document.File, at, RuleIds.RestartPolicyValid,
                    $"{document.Describe()} sets restartPolicy: {policy}, but the API server accepts only Always for a {document.Kind}'s pods; remove it (Always is the default)");
                break;
        }
    }

    /// <summary>
    /// apimachinery pkg/api/validation NameIsDNSSubdomain, NameIsDNS1035Label (pkg/apis/core/validation
    /// ValidateServiceName: a Service's name becomes a DNS label and environment variable names, so it must start with a
    /// letter) and NameIsDNSLabel (ValidateNamespaceName); the patterns are pkg/util/validation's IsDNS1123Subdomain,
    /// IsDNS1035Label and IsDNS1123Label.
    /// </summary>
    private static void CheckName(ManifestDocument document, FindingList findings)
    {
        if (document.Name is not { } name)
            return;
        var problem = document.Kind switch
        {
            "Service" when name.Length > LabelMaxLength || !Dns1035Label().IsMatch(name) =>
                $"an RFC 1035 label (at most {LabelMaxLength} lowercase letters, digits and '-', starting with a letter and ending with a letter or digit)",
            "Namespace" when name.Length > LabelMaxLength || !Dns1123Label().IsMatch(name) =>
                $"an RFC 1123 label (at most {LabelMaxLength} lowercase letters, digits and '-', starting and ending with a letter or digit)",
            _ when SubdomainKinds.Contains(document.Kind) && (name.Length > SubdomainMaxLength || !Dns1123Subdomain().IsMatch(name)) =>
                $"an RFC 1123 subdomain (at most {SubdomainMaxLength} lowercase letters, digits, '-' and '.', starting and ending with a letter or digit)",
            "Job" or "CronJob" when document.ApiVersion == "batch/v1" => BatchNameProblem(document, name),
            _ => null,
        };
        if (problem is not null)
        {
            findings.Add(document.File, document.Root.At("metadata", "name")!, RuleIds.ObjectName,
                $"{document.Describe()} has a name that is not {problem}, so the API server refuses it; rename it");
        }
    }

    /// <summary>
    /// The batch limits on a name that is already a valid subdomain. A Job's name becomes the value of the job-name and
    /// batch.kubernetes.io/job-name labels the API server puts on its pod template (pkg/registry/batch/job/strategy.go
    /// generateSelector, unless spec.manualSelector is true), and a label value is at most 63 characters; an Indexed Job's
    /// pods are named &lt;job&gt;-&lt;index&gt;, which must be a DNS label (pkg/apis/batch/validation ValidateJob: "will not able to
    /// create pod with invalid DNS label"). A CronJob's is at most 52: the controller appends an 11-character suffix to
    /// name each Job (ValidateCronJobCreate: "must be no more than 52 characters").
    /// </summary>
    private static string? BatchNameProblem(ManifestDocument document, string name)
    {
        const int CronJobMaxLength = LabelMaxLength - 11;
        var spec = document.Root.At("spec");
        if (document.Kind == "CronJob")
        {
            return name.Length > CronJobMaxLength
                ? $"at most {CronJobMaxLength} characters ({name.Length} here): the CronJob controller appends an 11-character suffix to name each Job, and the API server refuses a longer name"
                : null;
        }

        if (!spec.At("manualSelector").IsTrue() && name.Length > LabelMaxLength)
        {
            return $"at most {LabelMaxLength} characters ({name.Length} here): it becomes the value of the job-name and batch.kubernetes.io/job-name labels of its pods, and the API server refuses a longer label value";
        }

        if (spec.At("completionMode").Text() == "Indexed" && spec.At("completions").Integer() is > 0 and var completions
            && $"{name}-{completions - 1}" is var lastPod && (lastPod.Length > LabelMaxLength || !Dns1123Label().IsMatch(lastPod)))
        {
            return $"short enough, and free of '.', for its last pod's name {lastPod} to be an RFC 1123 label (at most {LabelMaxLength}): the API server refuses the Indexed Job";
        }

        return null;
    }

    /// <summary>
    /// apimachinery pkg/apis/meta/v1/validation ValidateLabels (keys IsQualifiedName, values IsValidLabelValue) for every
    /// metadata.labels (the object's, a pod template's, a claim template's) and every matchLabels (ValidateLabelSelector)
    /// and a Service's selector (ValidateService); apimachinery pkg/api/validation ValidateAnnotations for annotation keys.
    /// A bad one makes the API server refuse the whole object.
    /// </summary>
    private static void CheckLabels(ManifestDocument document, FindingList findings)
    {
        var visited = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        Walk(document.Root, null);
        if (document.Kind == "Service")
        {
            CheckMap(document.Root.At("spec", "selector"), "spec.selector", values: true);
        }

        void Walk(YamlNode node, string? parentKey)
        {
            if (!visited.Add(node))
            {
                return;
            }

            foreach (var (key, value) in node.Entries())
            {
                switch (key)
                {
                    case "labels" when parentKey == "metadata":
                        CheckMap(value, "metadata.labels", values: true);
                        break;
                    case "annotations" when parentKey == "metadata":
                        CheckMap(value, "metadata.annotations", values: false);
                        break;
                    case "matchLabels":
                        CheckMap(value, "matchLabels", values: true);
                        break;
                    default:
                        Walk(value, key);
                        break;
                }
            }

            foreach (var item in node.Items())
                Walk(item, parentKey);
        }

        void CheckMap(YamlNode? map, string where, bool values)
        {
            foreach (var (key, value) in map.Entries())
            {
                // Annotation keys are checked in lower case (ValidateAnnotations: IsQualifiedName(strings.ToLower(k))).
                if (QualifiedNameProblem(values ? key : key.ToLowerInvariant()) is { } keyProblem)
                {
                    findings.Add(document.File, map.KeyOf(key)!, RuleIds.LabelsValid,
                        $"{where} key \"{key}\" in {document.Describe()} is not a qualified name: {keyProblem}; the API server refuses the object");
                }
                else if (values && value.Text() is { } text && LabelValueProblem(text) is { } valueProblem)
                {
                    findings.Add(document.File, value, RuleIds.LabelsValid,
                        $"{where} value of \"{key}\" in {document.Describe()} is not a valid label value: {valueProblem}; the API server refuses the object");
                }
            }
        }
    }

    /// <summary>pkg/util/validation IsQualifiedName: an optional DNS subdomain prefix and '/', then a name of at most 63.</summary>
    private static string? QualifiedNameProblem(string key)
    {
        var parts = key.Split('/');
        if (parts.Length > 2)
            return "it may hold at most one '/'";
        if (parts.Length == 2 && (parts[0].Length == 0 || parts[0].Length > SubdomainMaxLength || !Dns1123Subdomain().IsMatch(parts[0])))
            return $"the prefix before '/' must be a lowercase DNS subdomain of at most {SubdomainMaxLength} characters";
        var name = parts[^1];
        return name.Length is 0 or > LabelMaxLength || !QualifiedName().IsMatch(name)
            ? $"the name must be 1 to {LabelMaxLength} letters, digits, '-', '_' or '.', starting and ending with a letter or digit"
            : null;
    }

    /// <summary>pkg/util/validation IsValidLabelValue: empty, or at most 63 letters, digits, '-', '_' or '.' starting and ending with a letter or digit.</summary>
    private static string? LabelValueProblem(string value) =>
        value.Length > LabelMaxLength || !LabelValue().IsMatch(value)
            ? $"it must be at most {LabelMaxLength} letters, digits, '-', '_' or '.', starting and ending with a letter or digit (or empty)"
            : null;

    /// <summary>pkg/apis/apps/validation ValidateRollingUpdateDeployment: "may not be 0 when `maxSurge` is 0" (either left out defaults to 25%).</summary>
    private static void CheckRollingUpdate(ManifestDocument document, FindingList findings)
    {
        var rollingUpdate = document.Root.At("spec", "strategy", "rollingUpdate");
        if (document.Root.At("spec", "strategy", "type").Text() is not "Recreate"
            && IsZero(rollingUpdate.At("maxSurge")) && IsZero(rollingUpdate.At("maxUnavailable")))
        {
            findings.Add(document.File, rollingUpdate.KeyOf("maxSurge")!, RuleIds.RollingUpdateValid,
                $"{document.Describe()} sets both maxSurge and maxUnavailable to 0, so a rollout could neither add nor remove a pod and the API server refuses it; set spec.strategy.rollingUpdate.maxSurge: 1");
        }

        static bool IsZero(YamlNode? value) => value.Text() is "0" or "0%";
    }

    /// <summary>pkg/apis/policy/validation ValidatePodDisruptionBudgetSpec: "minAvailable and maxUnavailable cannot be both set".</summary>
    private static void CheckBudgetBounds(ManifestDocument budget, FindingList findings)
    {
        var spec = budget.Root.At("spec");
        if (spec.At("minAvailable") is not null && spec.At("maxUnavailable") is not null)
        {
            findings.Add(budget.File, spec.KeyOf("maxUnavailable")!, RuleIds.PdbMinOrMax,
                $"{budget.Describe()} sets both minAvailable and maxUnavailable, which the API server refuses; keep one (minAvailable: 1)");
        }
    }

    /// <summary>
    /// pkg/apis/core/validation ValidateService and validateServicePort: with more than one port every port needs a name
    /// ("spec.ports[1].name: Required value"), a name is a DNS label (ValidateDNS1123Label) used once, and no two ports
    /// share port and protocol (protocol defaults to TCP first, pkg/apis/core/v1/defaults.go SetDefaults_Service).
    /// </summary>
    private static void CheckServicePorts(ManifestDocument service, FindingList findings)
    {
        var ports = service.Root.At("spec", "ports").Items().ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var pairs = new HashSet<(string?, string)>();
        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[i];
            var name = port.At("name").Text();
            if (string.IsNullOrEmpty(name))
            {
                if (ports.Count > 1)
                {
                    findings.Add(service.File, port, RuleIds.ServicePortsValid,
                        $"spec.ports[{i}] of {service.Describe()} has no name; with more than one port the API server requires a name on every port (\"spec.ports[{i}].name: Required value\"); add one, such as name: {Suggest(port)}");
                }
            }
            else if (name.Length > LabelMaxLength || !Dns1123Label().IsMatch(name))
            {
                findings.Add(service.File, port.At("name")!, RuleIds.ServicePortsValid,
                    $"port name \"{name}\" of {service.Describe()} is not an RFC 1123 label (at most {LabelMaxLength} lowercase letters, digits and '-', starting and ending with a letter or digit), so the API server refuses it");
            }
            else if (!names.Add(name))
            {
                findings.Add(service.File, port.At("name")!, RuleIds.ServicePortsValid,
                    $"port name \"{name}\" is used twice in {service.Describe()}, which the API server refuses (\"Duplicate value\"); give each port its own name");
            }

            var protocol = port.At("protocol").Text() is { Length: > 0 } set ? set : "TCP";
            if (port.At("port").Text() is { } number && !pairs.Add((number, protocol)))
            {
                findings.Add(service.File, port, RuleIds.ServicePortsValid,
                    $"{service.Describe()} lists port {number}/{protocol} twice, which the API server refuses (\"Duplicate value\"); remove one");
            }
        }

        static string Suggest(YamlNode port) => port.At("port").Text() switch
        {
            "80" => "http",
            "443" => "https",
            { } number => $"port-{number}",
            null => "http",
        };
    }

    /// <summary>
    /// pkg/apis/core/validation ValidateResourceRequirements: a request "must be less than or equal to" the limit
    /// of the same resource, compared as quantities (500m equals 0.5, 1Gi equals 1024Mi).
    /// </summary>
    private static void CheckRequestsWithinLimits(ManifestDocument document, YamlNode container, FindingList findings)
    {
        var limits = container.At("resources", "limits");
        foreach (var (resource, request) in container.At("resources", "requests").Entries())
        {
            if (limits.At(resource) is { } limit && Quantity(request) is { } requested && Quantity(limit) is { } limited && requested > limited)
            {
                findings.Add(document.File, request, RuleIds.RequestWithinLimit,
                    $"container {container.At("name").Text()} in {document.Describe()} requests {request.Text()} {resource} but limits it to {limit.Text()}, which the API server refuses; lower resources.requests.{resource} to at most the limit or raise resources.limits.{resource}");
            }
        }
    }

    /// <summary>
    /// Pod-level resources as pkg/apis/core/validation validatePodResources checks them: only cpu, memory and hugepages-*
    /// (component-helpers resource IsSupportedPodLevelResource), each request at most its limit, no container limit above
    /// the pod's ("must be less than or equal to pod limits"), and the containers' requests together at most the pod's
    /// ("must be greater than or equal to aggregate container requests", summed as component-helpers
    /// AggregateContainerRequests does: containers and sidecars add up, a plain init container counts alone with the
    /// sidecars before it). A container without a request gets its limit (pkg/apis/core/v1/defaults.go SetDefaults_Pod),
    /// and a pod without a request its limit (defaultPodRequests), against which the sum is then held.
    /// </summary>
    private static void CheckPodResources(Workload workload, FindingList findings)
    {
        var document = workload.Document;
        var podResources = workload.PodSpec.At("resources");
        if (podResources is null)
        {
            return;
        }

        var podRequests = podResources.At("requests");
        var podLimits = podResources.At("limits");
        foreach (var (key, _) in podRequests.Entries().Concat(podLimits.Entries()))
        {
            if (key is not ("cpu" or "memory") && !key.StartsWith("hugepages-", StringComparison.Ordinal))
            {
                var section = podRequests.KeyOf(key) is not null ? podRequests : podLimits;
                findings.Add(document.File, section.KeyOf(key)!, RuleIds.RequestWithinLimit,
                    $"{document.Describe()} sets {key} in its pod-level spec.resources, which the API server refuses (\"Unsupported value\": only cpu, memory and hugepages-*); set it on the containers");
            }
        }

        foreach (var (resource, request) in podRequests.Entries())
        {
            if (podLimits.At(resource) is { } limit && Quantity(request) is { } requested && Quantity(limit) is { } limited && requested > limited)
            {
                findings.Add(document.File, request, RuleIds.RequestWithinLimit,
                    $"{document.Describe()} requests {request.Text()} {resource} for the pod but limits the pod to {limit.Text()}, which the API server refuses; lower spec.resources.requests.{resource} or raise spec.resources.limits.{resource}");
            }
        }

        foreach (var container in workload.Containers)
        {
            foreach (var (resource, containerLimit) in container.At("resources", "limits").Entries())
            {
                if (podLimits.At(resource) is { } podLimit && Quantity(containerLimit) is { } limit && Quantity(podLimit) is { } podValue && limit > podValue)
                {
                    findings.Add(document.File, podLimit, RuleIds.RequestWithinLimit,
                        $"container {container.At("name").Text()} in {document.Describe()} limits {resource} to {containerLimit.Text()}, above the pod's limit of {podLimit.Text()}, which the API server refuses; raise spec.resources.limits.{resource} or lower the container's");
                }
            }
        }

        foreach (var (resource, total) in AggregateRequests(workload))
        {
            if ((podRequests.At(resource) ?? podLimits.At(resource)) is { } bound && Quantity(bound) is { } podValue && total > podValue)
            {
                var which = podRequests.At(resource) is null ? "limit (its request when none is set)" : "request";
                findings.Add(document.File, bound, RuleIds.RequestWithinLimit,
                    $"the containers of {document.Describe()} request {Format(total, resource)} {resource} together, more than the pod's {which} of {bound.Text()}, which the API server refuses; raise the pod's or lower the containers' requests");
            }
        }
    }

    /// <summary>A quantity as Kubernetes prints it: memory in binary units (512Mi), the rest in decimal ones (250m).</summary>
    private static string Format(decimal value, string resource) =>
        new ResourceQuantity(value, 0, resource == "memory" || resource.StartsWith("hugepages-", StringComparison.Ordinal)
            ? ResourceQuantity.SuffixFormat.BinarySI : ResourceQuantity.SuffixFormat.DecimalSI).ToString();

    /// <summary>component-helpers resource AggregateContainerRequests over the containers' requests, each defaulted to its limit.</summary>
    private static Dictionary<string, decimal> AggregateRequests(Workload workload)
    {
        var total = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var sidecars = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var initPeak = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var container in workload.Containers)
            Add(total, Requests(container));
        foreach (var init in workload.PodSpec.At("initContainers").Items())
        {
            var requests = Requests(init);
            if (init.At("restartPolicy").Text() == "Always")
            {
                Add(total, requests);
                Add(sidecars, requests);
                requests = new Dictionary<string, decimal>(sidecars, StringComparer.Ordinal);
            }
            else
            {
                Add(requests, sidecars);
            }

            foreach (var (resource, value) in requests)
                initPeak[resource] = Math.Max(initPeak.GetValueOrDefault(resource), value);
        }

        foreach (var (resource, value) in initPeak)
            total[resource] = Math.Max(total.GetValueOrDefault(resource), value);
        return total;

        static Dictionary<string, decimal> Requests(YamlNode container)
        {
            var requests = new Dictionary<string, decimal>(StringComparer.Ordinal);
            foreach (var (resource, limit) in container.At("resources", "limits").Entries())
            {
                if (Quantity(limit) is { } value)
                    requests[resource] = value;
            }

            foreach (var (resource, request) in container.At("resources", "requests").Entries())
            {
                if (Quantity(request) is { } value)
                    requests[resource] = value;
            }

            return requests;
        }

        static void Add(Dictionary<string, decimal> into, Dictionary<string, decimal> values)
        {
            foreach (var (resource, value) in values)
                into[resource] = into.GetValueOrDefault(resource) + value;
        }
    }

    /// <summary>The quantity's value (KubernetesClient's port of apimachinery pkg/api/resource); null when it does not parse, which k8s-strict-schema reports.</summary>
    private static decimal? Quantity(YamlNode node)
    {
        try
        {
            return node.Text() is { } text ? new ResourceQuantity(text).ToDecimal() : null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\z")]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\z")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex(@"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\z")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\z")]
    private static partial Regex LabelValue();

    [GeneratedRegex(@"^[a-z]([-a-z0-9]*[a-z0-9])?\z")]
    private static partial Regex Dns1035Label();
}
