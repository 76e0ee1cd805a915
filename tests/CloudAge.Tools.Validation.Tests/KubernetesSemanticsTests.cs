using CloudAge.Tools.Validation.Tests.Fixtures;

namespace CloudAge.Tools.Validation.Tests;

/// <summary>
/// Rules that must read the manifests as Kubernetes does: label selectors with matchExpressions, budgets in
/// percent, an autoscaler's minReplicas, quantities in any unit, and object names.
/// </summary>
public sealed class KubernetesSemanticsTests
{
    private const string Deployment = "k8s/deployment.yaml";
    private const string Budget = "k8s/poddisruptionbudget.yaml";
    private const string Autoscaler = "k8s/horizontalpodautoscaler.yaml";
    private const string Policy = "k8s/networkpolicy.yaml";
    private const string BudgetSelector = "  selector:\n    matchLabels:\n      app.kubernetes.io/name: cloudage";

    [Theory]
    [InlineData("  selector:\n    matchExpressions:\n      - key: app.kubernetes.io/name\n        operator: In\n        values: [cloudage, cloudage-worker]")]
    [InlineData("  selector:\n    matchExpressions:\n      - key: app.kubernetes.io/name\n        operator: NotIn\n        values: [other]")]
    [InlineData("  selector:\n    matchExpressions:\n      - key: app.kubernetes.io/part-of\n        operator: Exists")]
    [InlineData("  selector:\n    matchExpressions:\n      - key: canary\n        operator: DoesNotExist")]
    [InlineData("  selector:\n    matchLabels:\n      app.kubernetes.io/name: cloudage\n    matchExpressions:\n      - key: canary\n        operator: NotIn\n        values: [\"true\"]")]
    [InlineData("  selector: {}")]
    public void A_budget_whose_selector_selects_the_pods_covers_the_deployment(string selector)
    {
        using var repository = new RepositoryCopy().Replace(Budget, BudgetSelector, selector);

        Assert.Empty(repository.Validate());
    }

    [Theory]
    [InlineData("  selector:\n    matchExpressions:\n      - key: app.kubernetes.io/name\n        operator: In\n        values: [other]")]
    [InlineData("  selector:\n    matchExpressions:\n      - key: app.kubernetes.io/name\n        operator: NotIn\n        values: [cloudage]")]
    [InlineData("  selector:\n    matchExpressions:\n      - key: canary\n        operator: Exists")]
    [InlineData("  selector:\n    matchExpressions:\n      - key: app.kubernetes.io/name\n        operator: DoesNotExist")]
    [InlineData("  selector:\n    matchLabels:\n      app.kubernetes.io/name: cloudage\n    matchExpressions:\n      - key: app.kubernetes.io/part-of\n        operator: In\n        values: [other]")]
    [InlineData("  selector:\n    matchExpressions:\n      - key: app.kubernetes.io/name\n        operator: in\n        values: [cloudage]")]
    [InlineData("")]
    public void A_budget_whose_selector_misses_the_pods_leaves_the_deployment_uncovered(string selector)
    {
        using var repository = new RepositoryCopy().Replace(Budget, BudgetSelector, selector);

        Assert.Contains(repository.Validate(), f => f.File == Deployment && f.RuleId == RuleIds.PodDisruptionBudget && f.Line == repository.LineOf(Deployment, "  replicas: 2"));
    }

    [Fact]
    public void A_spread_constraint_selecting_by_expression_counts()
    {
        using var repository = new RepositoryCopy().Replace(Deployment,
            "          labelSelector:\n            matchLabels:\n              app.kubernetes.io/name: cloudage",
            "          labelSelector:\n            matchExpressions:\n              - key: app.kubernetes.io/name\n                operator: In\n                values: [cloudage]");

        Assert.Empty(repository.Validate());
    }

    [Fact]
    public void A_network_policy_with_an_empty_pod_selector_selects_every_pod()
    {
        using var repository = new RepositoryCopy().Replace(Policy, "  podSelector:\n    matchLabels:\n      app.kubernetes.io/name: cloudage", "  podSelector: {}");

        Assert.Empty(repository.Validate());
    }

    [Fact]
    public void A_default_deny_policy_beside_the_allowing_one_is_fine_as_policies_add_up()
    {
        using var repository = new RepositoryCopy();
        var text = File.ReadAllText(Path.Combine(repository.Root, Policy));
        repository.Write(Policy, text + "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: cloudage\nspec:\n  podSelector: {}\n  policyTypes:\n    - Ingress\n    - Egress\n");

        Assert.Empty(repository.Validate());
    }

    [Theory]
    [InlineData("minAvailable: 50%")]
    [InlineData("maxUnavailable: 50%")]
    [InlineData("maxUnavailable: 1%")]
    [InlineData("maxUnavailable: 1")]
    public void A_budget_that_allows_one_eviction_of_two_replicas_is_accepted(string bound)
    {
        using var repository = new RepositoryCopy().Replace(Budget, "minAvailable: 1", bound);

        Assert.Empty(repository.Validate());
    }

    [Fact]
    public void A_percentage_budget_is_scaled_against_the_autoscalers_minimum()
    {
        // 67% of 3 rounds up to 3: at its minimum of 3 replicas no pod may be evicted.
        using var repository = new RepositoryCopy()
            .Replace(Budget, "minAvailable: 1", "minAvailable: 67%")
            .Replace(Autoscaler, "minReplicas: 2", "minReplicas: 3");

        var finding = Assert.Single(repository.Validate());

        Assert.Equal((Budget, RuleIds.PodDisruptionBudget, repository.LineOf(Budget, "67%")), (finding.File, finding.RuleId, finding.Line));
        Assert.Contains("keeps 3 available", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_deployment_without_replicas_runs_the_minimum_of_its_autoscaler()
    {
        using var repository = new RepositoryCopy().Replace(Deployment, "  replicas: 2\n", "");

        Assert.Empty(repository.Validate());
    }

    [Fact]
    public void A_deployment_without_replicas_whose_autoscaler_allows_one_is_reported()
    {
        using var repository = new RepositoryCopy()
            .Replace(Deployment, "  replicas: 2\n", "")
            .Replace(Autoscaler, "minReplicas: 2", "minReplicas: 1");

        var finding = Assert.Single(repository.Validate(), f => f.RuleId == RuleIds.MinReplicas);

        Assert.Equal((Deployment, repository.LineOf(Deployment, "spec:")), (finding.File, finding.Line));
        Assert.Contains("minReplicas of HorizontalPodAutoscaler cloudage", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cpu: 250m", "cpu: \"0.5\"")]
    [InlineData("cpu: 250m", "cpu: 500m")]
    [InlineData("memory: 512Mi", "memory: 1024Mi")]
    [InlineData("memory: 512Mi", "memory: 1073741824")]
    public void A_request_equal_to_its_limit_in_another_unit_is_accepted(string request, string equal)
    {
        using var repository = new RepositoryCopy().Replace(Deployment, request, equal);

        Assert.Empty(repository.Validate());
    }

    [Fact]
    public void A_request_above_its_limit_names_the_container_and_both_values()
    {
        using var repository = new RepositoryCopy().Replace(Deployment, "memory: 512Mi", "memory: 1.5Gi");

        var finding = Assert.Single(repository.Validate());

        Assert.Equal(RuleIds.RequestWithinLimit, finding.RuleId);
        Assert.Contains("container cloudage in Deployment cloudage requests 1.5Gi memory but limits it to 1Gi", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dotted_configmap_name_is_a_valid_subdomain()
    {
        using var repository = new RepositoryCopy()
            .Replace("k8s/configmap.yaml", "  name: cloudage-config", "  name: cloudage.config")
            .Replace(Deployment, "name: cloudage-config", "name: cloudage.config")
            .Replace(Deployment, "name: cloudage-config", "name: cloudage.config");

        Assert.Empty(repository.Validate());
    }

    [Fact]
    public void A_rolling_update_with_one_of_surge_and_unavailable_above_zero_is_accepted()
    {
        // maxUnavailable: 0 with maxSurge left out: the API server defaults maxSurge to 25%.
        using var repository = new RepositoryCopy().Replace(Deployment, "      maxSurge: 1\n", "");

        Assert.DoesNotContain(repository.Validate(), f => f.RuleId == RuleIds.RollingUpdateValid);
    }

    [Fact]
    public void A_single_unnamed_service_port_and_the_same_port_over_udp_are_accepted()
    {
        // validateServicePort requires names only with more than one port; duplicates are (port, protocol) pairs.
        using var repository = new RepositoryCopy().Replace("k8s/service.yaml", "    - name: http\n      port: 80", "    - port: 80");

        Assert.DoesNotContain(repository.Validate(), f => f.RuleId == RuleIds.ServicePortsValid);

        repository.Replace("k8s/service.yaml", "    - port: 80", "    - name: http\n      port: 80")
            .Replace("k8s/service.yaml", "      protocol: TCP", "      protocol: TCP\n    - name: quic\n      port: 80\n      targetPort: http\n      protocol: UDP");

        Assert.DoesNotContain(repository.Validate(), f => f.RuleId == RuleIds.ServicePortsValid);
    }

    [Theory]
    // A Job's name becomes the value of its pods' job-name and batch.kubernetes.io/job-name labels (at most 63).
    [InlineData("Job", 64, "", true)]
    [InlineData("Job", 63, "", false)]
    // With manualSelector: true the API server adds no such label.
    [InlineData("Job", 64, "  manualSelector: true\n  selector:\n    matchLabels:\n      app: cleanup\n", false)]
    // An Indexed Job's pods are named <job>-<index>, a DNS label: 61 characters and index 10 make 64.
    [InlineData("Job", 61, "  completionMode: Indexed\n  completions: 11\n", true)]
    [InlineData("Job", 61, "  completionMode: Indexed\n  completions: 10\n", false)]
    // The CronJob controller appends an 11-character suffix to name each Job: at most 52.
    [InlineData("CronJob", 53, "", true)]
    [InlineData("CronJob", 52, "", false)]
    public void Batch_names_are_limited_as_the_api_server_limits_them(string kind, int length, string spec, bool refused)
    {
        var name = new string('a', length);
        var template = "template:\n  metadata:\n    labels:\n      app: cleanup\n  spec:\n    restartPolicy: OnFailure\n    containers:\n      - name: cleanup\n        image: busybox:1.36\n";
        var body = kind == "Job"
            ? $"apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {name}\n  namespace: cloudage\nspec:\n{spec}" + Indent(template, "  ")
            : $"apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: {name}\n  namespace: cloudage\nspec:\n  schedule: \"0 3 * * *\"\n  jobTemplate:\n    spec:\n" + Indent(template, "      ");
        using var repository = new RepositoryCopy().Write("k8s/batch.yaml", body);

        var findings = repository.Validate().Where(f => f.RuleId == RuleIds.ObjectName).ToList();

        if (refused)
        {
            var finding = Assert.Single(findings);
            Assert.Equal(("k8s/batch.yaml", 4), (finding.File, finding.Line));
        }
        else
        {
            Assert.Empty(findings);
        }

        static string Indent(string text, string by) => string.Concat(text.Split('\n').Where(l => l.Length > 0).Select(l => by + l + "\n"));
    }

    [Theory]
    [InlineData("Job", "    restartPolicy: OnFailure\n", "", false)]
    [InlineData("Job", "    restartPolicy: Never\n", "", false)]
    [InlineData("Job", "", "", true)] // unset defaults to Always, which a Job may not have
    [InlineData("Job", "    restartPolicy: Always\n", "", true)]
    [InlineData("Job", "    restartPolicy: OnFailure\n", "podFailurePolicy:\n  rules:\n    - action: FailJob\n      onExitCodes: {operator: In, values: [42]}\n", true)]
    [InlineData("Job", "    restartPolicy: Never\n", "podFailurePolicy:\n  rules:\n    - action: FailJob\n      onExitCodes: {operator: In, values: [42]}\n", false)]
    [InlineData("CronJob", "", "", true)]
    [InlineData("CronJob", "    restartPolicy: Never\n", "", false)]
    public void A_batch_pods_restart_policy_is_judged_as_the_api_server_judges_it(string kind, string policy, string jobSpec, bool refused)
    {
        var template = "template:\n  metadata:\n    labels:\n      app: cleanup\n  spec:\n" + policy + "    containers:\n      - name: cleanup\n        image: busybox:1.36\n";
        var body = kind == "Job"
            ? "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: cleanup\n  namespace: cloudage\nspec:\n" + Indent(jobSpec + template, "  ")
            : "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: cleanup\n  namespace: cloudage\nspec:\n  schedule: \"0 3 * * *\"\n  jobTemplate:\n    spec:\n" + Indent(jobSpec + template, "      ");
        using var repository = new RepositoryCopy().Write("k8s/batch.yaml", body);

        var findings = repository.Validate().Where(f => f.RuleId == RuleIds.RestartPolicyValid).ToList();

        Assert.Equal(refused ? 1 : 0, findings.Count);
        if (refused)
            Assert.Equal("k8s/batch.yaml", findings[0].File);

        static string Indent(string text, string by) => string.Concat(text.Split('\n').Where(l => l.Length > 0).Select(l => by + l + "\n"));
    }
}
