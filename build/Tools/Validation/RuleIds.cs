namespace CloudAge.Tools.Validation;

/// <summary>The stable id of every rule; these are the names <c>validate.config.yaml</c> switches off.</summary>
public static class RuleIds
{
    public const string FileNotText = "file-not-text";
    public const string FileEmpty = "file-empty";
    public const string YamlSyntax = "yaml-syntax";
    public const string YamlDuplicateKey = "yaml-duplicate-key";
    public const string DocumentEmpty = "document-empty";
    public const string ApiVersionKind = "apiversion-kind";
    public const string UnknownKind = "unknown-kind";
    public const string KubernetesSchema = "k8s-strict-schema";
    public const string ArgoCdSchema = "argocd-schema";
    public const string KustomizeSchema = "kustomize-schema";
    public const string WorkloadSelector = "workload-selector-matches";
    public const string ServiceSelector = "service-selector-matches";
    public const string ServiceTargetPort = "service-target-port-matches";
    public const string ProbePort = "probe-port-matches";
    public const string ConfigMapRef = "configmap-ref-exists";
    public const string SecretRef = "secret-ref-exists";
    public const string ServiceAccountRef = "serviceaccount-ref-exists";
    public const string NamespaceConsistent = "namespace-consistent";
    public const string ArgoCdPath = "argocd-path-exists";
    public const string KustomizeResources = "kustomize-resources-exist";
    public const string ContainerResources = "container-resources";
    public const string ContainerProbes = "container-probes";
    public const string NoLatestTag = "no-latest-tag";
    public const string MinReplicas = "min-replicas";
    public const string MaxUnavailableZero = "max-unavailable-zero";
    public const string IrsaRoleArn = "irsa-role-arn";
    public const string SecretPlaceholders = "secret-placeholders";
    public const string IamJson = "iam-json";
    public const string IamVersion = "iam-version";
    public const string IamSid = "iam-sid";
    public const string IamWildcardAction = "iam-no-wildcard-action";
    public const string IamAllowedActions = "iam-allowed-actions";
    public const string IamWildcardResource = "iam-no-wildcard-resource";
    public const string Config = "validate-config";

    /// <summary>Every rule id with a one-line description, in the order the docs list them.</summary>
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>
    {
        [FileNotText] = "a file under k8s/ or argocd/ is binary or not UTF-8",
        [FileEmpty] = "a YAML file holds no document",
        [YamlSyntax] = "a YAML file does not parse (tabs, bad indentation, unclosed brackets)",
        [YamlDuplicateKey] = "a mapping repeats a key",
        [DocumentEmpty] = "a document between --- separators is empty",
        [ApiVersionKind] = "a document lacks apiVersion or kind",
        [UnknownKind] = "no schema is known for the apiVersion/kind pair",
        [KubernetesSchema] = "unknown field or wrong type for a Kubernetes kind (strict, KubernetesClient models)",
        [ArgoCdSchema] = "unknown field, wrong type or missing field in an Argo CD Application",
        [KustomizeSchema] = "unknown field or wrong type in a kustomization.yaml",
        [WorkloadSelector] = "a workload's selector does not match its pod template labels",
        [ServiceSelector] = "a Service selector matches no pod template in its namespace",
        [ServiceTargetPort] = "a Service targetPort is not a port of the selected containers",
        [ProbePort] = "a probe port is not a port of its container",
        [ConfigMapRef] = "a referenced ConfigMap is not defined",
        [SecretRef] = "a non-optional Secret reference has no Secret (template) defined",
        [ServiceAccountRef] = "a referenced ServiceAccount is not defined",
        [NamespaceConsistent] = "a resource is outside the namespace Argo CD deploys to",
        [ArgoCdPath] = "an Argo CD Application's source path is not a folder of this repository",
        [KustomizeResources] = "a kustomization resource is missing, or a manifest is not listed",
        [ContainerResources] = "a container lacks CPU/memory requests or limits",
        [ContainerProbes] = "a container lacks a liveness or readiness probe",
        [NoLatestTag] = "an image has no tag or the tag latest",
        [MinReplicas] = "a Deployment or StatefulSet runs fewer than 2 replicas",
        [MaxUnavailableZero] = "a Deployment's rolling update may take pods away (maxUnavailable is not 0)",
        [IrsaRoleArn] = "a ServiceAccount's eks.amazonaws.com/role-arn is missing or not an IAM role ARN",
        [SecretPlaceholders] = "a committed Secret holds a value that is not a placeholder",
        [IamJson] = "docs/iam-policy.json is missing or not valid JSON",
        [IamVersion] = "the IAM policy Version is not 2012-10-17",
        [IamSid] = "an IAM statement has no Sid or repeats one",
        [IamWildcardAction] = "an IAM action contains *",
        [IamAllowedActions] = "an IAM action is not one the app needs",
        [IamWildcardResource] = "an IAM statement's Resource is * or missing",
        [Config] = "validate.config.yaml is malformed, names an unknown rule, or disables one without a reason",
    };
}
