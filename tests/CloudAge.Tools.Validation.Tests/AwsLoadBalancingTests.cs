using CloudAge.Tools.Validation.Tests.Fixtures;

namespace CloudAge.Tools.Validation.Tests;

/// <summary>The EKS rules over copies of the repository's manifests: the NLB's readiness gate and shutdown delay, and the region the pod identity webhook writes.</summary>
public sealed class AwsLoadBalancingTests
{
    private const string Deployment = "k8s/deployment.yaml";
    private const string Namespace = "k8s/namespace.yaml";
    private const string Service = "k8s/service.yaml";
    private const string GateLabel = "    elbv2.k8s.aws/pod-readiness-gate-inject: enabled\n";
    private const string PreStop = "            preStop:\n              sleep:\n                seconds: 120\n";
    private const string RegionEnv = "            - name: AWS_REGION\n              valueFrom:\n                configMapKeyRef:\n                  name: cloudage-config\n                  key: AWS_REGION\n";

    [Fact]
    public void A_namespace_without_the_readiness_gate_label_is_reported_at_the_services_target_type()
    {
        using var repository = new RepositoryCopy().Replace(Namespace, GateLabel, "");

        var finding = Assert.Single(repository.Validate());

        Assert.Equal((Service, "nlb-readiness-gate", repository.LineOf(Service, "aws-load-balancer-nlb-target-type: ip")), (finding.File, finding.RuleId, finding.Line));
        Assert.Contains("Service cloudage puts pod IPs behind an NLB but Namespace cloudage lacks the label elbv2.k8s.aws/pod-readiness-gate-inject: enabled", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Instance_targets_need_neither_the_gate_nor_the_delay()
    {
        // With target type instance the NLB targets nodes, and kube-proxy moves the traffic: the controller's gate does not apply.
        using var repository = new RepositoryCopy()
            .Replace(Service, "aws-load-balancer-nlb-target-type: ip", "aws-load-balancer-nlb-target-type: instance")
            .Replace(Namespace, GateLabel, "")
            .Replace(Deployment, "          lifecycle:\n" + "            # An NLB", "          lifecycleRemoved:\n            # An NLB");

        Assert.DoesNotContain(repository.Validate(), f => f.RuleId is "nlb-readiness-gate" or "nlb-graceful-stop");
    }

    [Fact]
    public void A_container_behind_the_nlb_without_a_pre_stop_delay_is_reported()
    {
        using var repository = new RepositoryCopy().Replace(Deployment, PreStop, "            postStart:\n              sleep:\n                seconds: 1\n");

        var finding = Assert.Single(repository.Validate());

        Assert.Equal((Deployment, "nlb-graceful-stop"), (finding.File, finding.RuleId));
        Assert.Contains("container cloudage in Deployment cloudage is behind the NLB of Service cloudage but has no lifecycle.preStop", finding.Message, StringComparison.Ordinal);
        Assert.EndsWith("add preStop: {sleep: {seconds: 120}} and terminationGracePeriodSeconds: 160", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pre_stop_sleep_the_grace_period_cuts_short_is_reported_at_its_seconds()
    {
        using var repository = new RepositoryCopy().Replace(Deployment, "terminationGracePeriodSeconds: 160", "terminationGracePeriodSeconds: 120");

        var finding = Assert.Single(repository.Validate());

        Assert.Equal((Deployment, "nlb-graceful-stop", repository.LineOf(Deployment, "seconds: 120")), (finding.File, finding.RuleId, finding.Line));
        Assert.Contains("sleeps 120 s in preStop but the pod's terminationGracePeriodSeconds is 120", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_region_given_only_through_env_from_is_reported_at_that_source()
    {
        using var repository = new RepositoryCopy().Replace(Deployment, RegionEnv, "");

        var finding = Assert.Single(repository.Validate());

        Assert.Equal((Deployment, "aws-region-env", repository.LineOf(Deployment, "- configMapRef:")), (finding.File, finding.RuleId, finding.Line));
        Assert.Contains("gets AWS_REGION only through envFrom ConfigMap cloudage-config", finding.Message, StringComparison.Ordinal);
    }
}
