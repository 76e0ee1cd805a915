using CloudAge.Tools.Validation.Tests.Fixtures;

namespace CloudAge.Tools.Validation.Tests;

/// <summary>The production rules (disruption budget, spread, autoscaler, network policy, Pod Security, Argo CD project), each with a broken copy.</summary>
public sealed class ProductionRuleTests
{
    private const string Deployment = "k8s/deployment.yaml";
    private const string Budget = "k8s/poddisruptionbudget.yaml";
    private const string Autoscaler = "k8s/horizontalpodautoscaler.yaml";
    private const string Policy = "k8s/networkpolicy.yaml";
    private const string Application = "argocd/application.yaml";
    private const string Project = "argocd/appproject.yaml";

    public static TheoryData<BrokenManifest> BrokenManifests() =>
    [
        new(RuleIds.PodDisruptionBudget, Budget, "minAvailable: 1", "minAvailable: 2", "minAvailable: 2"),
        new(RuleIds.PodDisruptionBudget, Budget, "minAvailable: 1", "minAvailable: 0", "minAvailable: 0"),
        new(RuleIds.PodDisruptionBudget, Budget, "minAvailable: 1", "minAvailable: \"100%\"", "100%"),
        new(RuleIds.PodDisruptionBudget, Budget, "minAvailable: 1", "minAvailable: 51%", "51%"),
        new(RuleIds.PodDisruptionBudget, Budget, "minAvailable: 1", "maxUnavailable: 0%", "maxUnavailable: 0%"),
        new(RuleIds.PodDisruptionBudget, Budget, "minAvailable: 1", "maxUnavailable: 2", "maxUnavailable: 2"),
        // Two budgets over the same pods: the eviction API refuses every eviction of them (eviction.go).
        new(RuleIds.PodDisruptionBudget, Budget, "      app.kubernetes.io/name: cloudage\n", "      app.kubernetes.io/name: cloudage\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: cloudage-extra\n  namespace: cloudage\nspec: {maxUnavailable: 1, selector: {matchLabels: {app.kubernetes.io/name: cloudage}}}\n", "spec: {maxUnavailable: 1"),
        new(RuleIds.PdbMinOrMax, Budget, "  minAvailable: 1\n", "  minAvailable: 1\n  maxUnavailable: 1\n", "maxUnavailable: 1"),
        // The Service moved to a namespace no manifest declares: nothing puts the readiness gate label on it (AwsLoadBalancingTests has the label removed).
        new(RuleIds.NlbReadinessGate, "k8s/service.yaml", "  namespace: cloudage\n", "  namespace: cloudage-edge\n", "aws-load-balancer-nlb-target-type: ip"),
        new(RuleIds.NlbGracefulStop, Deployment, "terminationGracePeriodSeconds: 160", "terminationGracePeriodSeconds: 10", "seconds: 120"),
        new(RuleIds.AwsRegionEnv, Deployment, "            - name: AWS_REGION\n              valueFrom:\n                configMapKeyRef:\n                  name: cloudage-config\n                  key: AWS_REGION\n", "", "- configMapRef:"),
        new(RuleIds.TopologySpread, Deployment, "topologyKey: topology.kubernetes.io/zone", "topologyKey: topology.kubernetes.io/region", "topologySpreadConstraints:"),
        new(RuleIds.TopologySpread, Deployment, "topologyKey: kubernetes.io/hostname", "topologyKey: node.kubernetes.io/instance-type", "topologySpreadConstraints:"),
        new(RuleIds.Autoscaler, Autoscaler, "minReplicas: 2", "minReplicas: 1", "minReplicas"),
        new(RuleIds.Autoscaler, Autoscaler, "maxReplicas: 6", "maxReplicas: 2", "maxReplicas"),
        new(RuleIds.Autoscaler, Autoscaler, "name: cpu", "name: memory", "metrics:"),
        new(RuleIds.Autoscaler, Autoscaler, "    name: cloudage\n  minReplicas", "    name: cloudage-web\n  minReplicas", "name: cloudage-web"),
        new(RuleIds.AutoscalerIgnoredByArgoCd, Application, "      - RespectIgnoreDifferences=true\n", "", "syncOptions:"),
        new(RuleIds.AutoscalerIgnoredByArgoCd, Application, "        - /spec/replicas", "        - /spec/template", "ignoreDifferences:"),
        // Argo CD matches an entry's group as a glob against the object's: no group is the core group, never apps.
        new(RuleIds.AutoscalerIgnoredByArgoCd, Application, "    - group: apps\n      kind: Deployment", "    - kind: Deployment", "ignoreDifferences:"),
        new(RuleIds.AutoscalerIgnoredByArgoCd, Application, "      name: cloudage\n", "      name: cloudage\n      namespace: default\n", "ignoreDifferences:"),
        new(RuleIds.NetworkPolicy, Policy, "        - port: 80\n          protocol: TCP\n  egress", "        - port: 8080\n          protocol: TCP\n  egress", "port: 8080"),
        new(RuleIds.NetworkPolicy, Policy, "    - ports:\n        - port: 80\n          protocol: TCP\n  egress", "    - from: []\n  egress", "- from: []"),
        new(RuleIds.NetworkPolicy, Policy, "cidr: 169.254.170.23/32", "cidr: 169.254.169.254/32", "egress:"),
        new(RuleIds.NetworkPolicy, Policy, "        - port: 443", "        - port: 8443", "egress:"),
        new(RuleIds.NetworkPolicy, Policy, "    - Egress\n", "", "policyTypes"),
        new(RuleIds.NetworkPolicy, Policy, "        - port: 80\n          protocol: TCP\n  egress", "        - port: 80\n          endPort: 8080\n          protocol: TCP\n  egress", "- port: 80"),
        new(RuleIds.NetworkPolicy, Policy, "            cidr: 169.254.170.23/32\n", "            cidr: 0.0.0.0/0\n            except:\n              - 169.254.0.0/16\n", "egress:"),
        new(RuleIds.NamespacePodSecurity, "k8s/namespace.yaml", "enforce: restricted", "enforce: baseline", "enforce: baseline"),
        new(RuleIds.ArgoCdProject, Application, "  project: cloudage", "  project: default", "project: default"),
        new(RuleIds.ArgoCdProject, Application, "  project: cloudage", "  project: team", "project: team"),
        new(RuleIds.ArgoCdProject, Project, "    - https://github.com/your-org/cloudage.git", "    - \"*\"", "sourceRepos"),
        new(RuleIds.ArgoCdProject, Project, "      namespace: cloudage", "      namespace: \"*\"", "destinations"),
        new(RuleIds.ArgoCdProject, Project, "    - group: policy\n      kind: PodDisruptionBudget\n", "", "namespaceResourceWhitelist"),
        new(RuleIds.ArgoCdProject, Project, "    - group: apps\n      kind: Deployment", "    - group: \"*\"\n      kind: \"*\"", "namespaceResourceWhitelist"),
        // Argo CD checks a cluster-scoped kind only against the cluster lists, a namespaced one only against the namespace lists.
        new(RuleIds.ArgoCdProject, Project, "    - group: \"\"\n      kind: Namespace\n      name: cloudage\n  namespaceResourceWhitelist:\n",
            "    - group: \"\"\n      kind: ClusterRole\n  namespaceResourceWhitelist:\n    - group: \"\"\n      kind: Namespace\n", "clusterResourceWhitelist"),
        new(RuleIds.ArgoCdProject, Project, "      name: cloudage\n  namespaceResourceWhitelist:\n    - group: \"\"\n      kind: ConfigMap\n",
            "      name: cloudage\n    - group: \"\"\n      kind: ConfigMap\n  namespaceResourceWhitelist:\n", "namespaceResourceWhitelist"),
        // The entry's name is matched too (IsGroupKindNamePermitted): the project's namespace under another name is not permitted.
        new(RuleIds.ArgoCdProject, Project, "      kind: Namespace\n      name: cloudage\n", "      kind: Namespace\n      name: cloudage-staging\n", "clusterResourceWhitelist"),
        new(RuleIds.ArgoCdProject, Project, "  namespaceResourceWhitelist:\n", "  namespaceResourceBlacklist:\n    - group: \"\"\n      kind: Config*\n  namespaceResourceWhitelist:\n", "namespaceResourceBlacklist"),
        new(RuleIds.ArgoCdSchema, Project, "  sourceRepos:", "  sourceRepo:", "sourceRepo:"),
        // The liveness probe's path (the readiness probe asks /healthz too, and comes first).
        new(RuleIds.LivenessHealthz, Deployment, "path: /healthz\n              port: 80\n            initialDelaySeconds: 15", "path: /live\n              port: 80\n            initialDelaySeconds: 15", "path: /live"),
    ];

    [Theory]
    [MemberData(nameof(BrokenManifests))]
    public void A_broken_production_manifest_is_reported_with_its_file_line_and_rule(BrokenManifest broken)
    {
        using var repository = new RepositoryCopy().Replace(broken.File, broken.Find, broken.Replacement);
        var expectedLine = repository.LineOf(broken.File, broken.LineMarker);

        var findings = repository.Validate();

        Assert.Contains(findings, f => f.File == broken.File && f.RuleId == broken.Rule && f.Line == expectedLine);
    }

    [Fact]
    public void A_deployment_no_budget_selects_is_reported_at_its_replicas()
    {
        using var repository = new RepositoryCopy().Replace(Budget, "      app.kubernetes.io/name: cloudage", "      app.kubernetes.io/name: cloudage-old");

        var findings = repository.Validate();

        Assert.Contains(findings, f => f.File == Deployment && f.RuleId == RuleIds.PodDisruptionBudget && f.Line == repository.LineOf(Deployment, "  replicas: 2"));
    }

    [Fact]
    public void Pods_no_network_policy_selects_are_reported_at_their_labels()
    {
        using var repository = new RepositoryCopy().Replace(Policy, "      app.kubernetes.io/name: cloudage\n  policyTypes", "      app.kubernetes.io/name: other\n  policyTypes");

        var findings = repository.Validate();

        Assert.Contains(findings, f => f.File == Deployment && f.RuleId == RuleIds.NetworkPolicy && f.Line == repository.LineOf(Deployment, "      labels:"));
    }

    [Fact]
    public void Without_an_autoscaler_the_application_need_not_ignore_replicas()
    {
        using var repository = new RepositoryCopy()
            .Replace("k8s/kustomization.yaml", "  - horizontalpodautoscaler.yaml\n", "")
            .Replace(Application, "        - /spec/replicas", "        - /spec/template");
        File.Delete(Path.Combine(repository.Root, Autoscaler));

        var findings = repository.Validate();

        Assert.DoesNotContain(findings, f => f.RuleId == RuleIds.AutoscalerIgnoredByArgoCd);
        Assert.Empty(findings);
    }

    [Theory]
    [InlineData("arn:aws-cn:iam::123456789012:role/cloudage-pod-role")]
    [InlineData("arn:aws-us-gov:iam::123456789012:role/cloudage-pod-role")]
    public void Role_arns_of_the_china_and_govcloud_partitions_are_accepted(string arn)
    {
        using var repository = new RepositoryCopy().Replace("k8s/serviceaccount.yaml", "arn:aws:iam::123456789012:role/cloudage-pod-role", arn);

        Assert.Empty(repository.Validate());
    }

    [Theory]
    [InlineData("arn:aws-mars:iam::123456789012:role/cloudage-pod-role")]
    [InlineData("arn:aws:iam::123456789012:policy/cloudage")]
    public void Role_arns_of_unknown_partitions_or_other_resources_are_refused(string arn)
    {
        using var repository = new RepositoryCopy().Replace("k8s/serviceaccount.yaml", "arn:aws:iam::123456789012:role/cloudage-pod-role", arn);

        Assert.Contains(repository.Validate(), f => f.RuleId == RuleIds.IrsaRoleArn);
    }

    [Fact]
    public void A_service_account_without_the_irsa_annotation_is_accepted_for_pod_identity()
    {
        using var repository = new RepositoryCopy().Replace("k8s/serviceaccount.yaml",
            "  annotations:\n    # PLACEHOLDER: 123456789012 is your AWS account id, cloudage-pod-role the role ./build.sh Provision creates\n    eks.amazonaws.com/role-arn: \"arn:aws:iam::123456789012:role/cloudage-pod-role\"\n", "");

        Assert.Empty(repository.Validate());
    }

    [Theory]
    [InlineData("    - {}\n")]
    [InlineData("    - to: []\n      ports: []\n")]
    [InlineData("    - to:\n        - ipBlock:\n            cidr: 0.0.0.0/0\n            except:\n              - 10.0.0.0/8\n      ports:\n        - port: 1\n          endPort: 65535\n        - protocol: UDP\n")]
    public void Egress_rules_open_by_an_empty_to_or_ports_a_port_range_or_a_wide_ip_block_let_out_what_the_app_needs(string egress)
    {
        // networking/v1 types.go: an empty or missing to matches every destination, an empty or missing ports every
        // port, an entry without port every port of its protocol, endPort a range.
        using var repository = new RepositoryCopy();
        var policy = File.ReadAllText(Path.Combine(repository.Root, Policy));
        repository.Replace(Policy, policy[policy.IndexOf("  egress:\n", StringComparison.Ordinal)..], "  egress:\n" + egress);

        Assert.Empty(repository.Validate());
    }

    [Theory]
    [InlineData("    - group: \"*\"\n      kind: Deployment")]
    [InlineData("    - group: \"{apps,extensions}\"\n      kind: Deploy*")]
    public void Ignore_differences_groups_and_kinds_are_globs_as_argo_cd_matches_them(string entry)
    {
        using var repository = new RepositoryCopy().Replace(Application, "    - group: apps\n      kind: Deployment", entry);

        Assert.Empty(repository.Validate());
    }
}
