using CloudAge.Tools.GitOps.Kubernetes;
using CloudAge.Tools.GitOps.Tests.Fakes;
using k8s;
using k8s.Models;
using static CloudAge.Tools.GitOps.Tests.Fakes.KubernetesObjects;

namespace CloudAge.Tools.GitOps.Tests.Kubernetes;

/// <summary>Load balancer address waits against the in-process Kubernetes API fake, scripted per read.</summary>
public sealed class LoadBalancerWaitTests
{
    [Fact]
    public async Task The_hostname_is_returned_once_it_appears_after_several_polls()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        k8s.Cluster.Services["cloudage"] = [Service(), Service(), Service(), Service(hostname: "k8s-cloudage-0123456789.elb.eu-west-1.amazonaws.com")];

        var address = await k8s.Waiter.WaitForLoadBalancerAsync("cloudage", "cloudage", KubernetesHarness.Fast);

        Assert.Equal("k8s-cloudage-0123456789.elb.eu-west-1.amazonaws.com", address.Host);
        Assert.Equal(new Uri("http://k8s-cloudage-0123456789.elb.eu-west-1.amazonaws.com/"), address.Url);
        Assert.Equal(4, k8s.Cluster.ReadsOf<V1Service>("cloudage"));
        Assert.Equal([
            "Waiting for Service \"cloudage\" to get a load balancer address...",
            "Service \"cloudage\" has load balancer address http://k8s-cloudage-0123456789.elb.eu-west-1.amazonaws.com/",
        ], k8s.Output.ToList());
    }

    [Fact]
    public async Task An_ip_address_is_accepted_and_a_port_other_than_80_kept_in_the_url()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        k8s.Cluster.Services["cloudage"] = [Service(ip: "203.0.113.7", port: 8080)];

        var address = await k8s.Waiter.WaitForLoadBalancerAsync("cloudage", "cloudage", KubernetesHarness.Fast);

        Assert.Equal(new Uri("http://203.0.113.7:8080/"), address.Url);
    }

    [Fact]
    public async Task A_Service_that_is_not_a_LoadBalancer_fails_at_once()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        k8s.Cluster.Services["cloudage"] = [Service(type: "ClusterIP")];

        var failure = await Assert.ThrowsAsync<ClusterException>(() => k8s.Waiter.WaitForLoadBalancerAsync("cloudage", "cloudage", KubernetesHarness.Fast));

        Assert.Contains("is of type ClusterIP and will never get a load balancer address", failure.Message);
    }

    [Fact]
    public async Task An_address_that_never_appears_times_out()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        k8s.Cluster.Services["cloudage"] = [Service()];
        // Outside the timed wait: a client's first call compiles its serializers, seconds on a loaded 2-core machine.
        await k8s.Client.CoreV1.ReadNamespacedServiceAsync("cloudage", "cloudage");

        var failure = await Assert.ThrowsAsync<ClusterException>(() =>
            k8s.Waiter.WaitForLoadBalancerAsync("cloudage", "cloudage", KubernetesHarness.Fast with { Timeout = TimeSpan.FromSeconds(4) }));

        Assert.Contains($"Service cloudage/cloudage on {k8s.Cluster.BaseAddress} did not get a load balancer address within 4 s", failure.Message);
        Assert.Contains("(last: Waiting for Service \"cloudage\" to get a load balancer address...)", failure.Message);
        Assert.Contains("`kubectl -n cloudage describe service cloudage`", failure.Message);
        Assert.Contains("`kubectl -n kube-system get deployment aws-load-balancer-controller`", failure.Message);
    }

    [Fact]
    public async Task The_controllers_latest_warning_on_this_Service_says_why_there_is_no_address()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        var at = new DateTime(2026, 3, 1, 10, 0, 0, DateTimeKind.Utc);
        k8s.Cluster.Services["cloudage"] = [Service()];
        k8s.Cluster.Events.AddRange([
            // A Service of the same name deleted earlier: its events outlive it (another uid).
            ServiceEvent("Warning", "FailedDeployModel", "Failed deploy model due to AccessDenied: not authorized", at.AddMinutes(5), uid: "0e1d2c3b-old"),
            ServiceEvent("Warning", "FailedBuildModel", "Failed build model due to unable to resolve at least one subnet (0 match VPC and tags: [kubernetes.io/role/elb])", at.AddMinutes(1)),
            ServiceEvent("Warning", "FailedBuildModel", "Failed build model due to an older reason", at),
            ServiceEvent("Normal", "SuccessfullyReconciled", "Successfully reconciled", at.AddMinutes(2)),
        ]);
        await k8s.Client.CoreV1.ReadNamespacedServiceAsync("cloudage", "cloudage");

        var failure = await Assert.ThrowsAsync<ClusterException>(() =>
            k8s.Waiter.WaitForLoadBalancerAsync("cloudage", "cloudage", KubernetesHarness.Fast with { Timeout = TimeSpan.FromSeconds(2) }));

        const string Why = "(FailedBuildModel: Failed build model due to unable to resolve at least one subnet (0 match VPC and tags: [kubernetes.io/role/elb]))";
        Assert.Equal($"Waiting for Service \"cloudage\" to get a load balancer address... {Why}", Assert.Single(k8s.Output));
        Assert.Contains(Why, failure.Message);
        Assert.Contains(k8s.Cluster.Requests, r => r.Contains("/events?fieldSelector=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_permission_to_read_events_it_still_waits_for_the_address()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        k8s.Cluster.ForbiddenResources.Add("events");
        k8s.Cluster.Services["cloudage"] = [Service(), Service(hostname: "k8s-cloudage-0123456789.elb.eu-west-1.amazonaws.com")];

        var address = await k8s.Waiter.WaitForLoadBalancerAsync("cloudage", "cloudage", KubernetesHarness.Fast);

        Assert.Equal("k8s-cloudage-0123456789.elb.eu-west-1.amazonaws.com", address.Host);
        Assert.Equal("Waiting for Service \"cloudage\" to get a load balancer address...", k8s.Output.First());
    }

    [Fact]
    public async Task An_IPv6_ingress_address_is_bracketed_in_the_url()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        k8s.Cluster.Services["cloudage"] = [Service(ip: "2001:db8::7", port: 8080)];

        var address = await k8s.Waiter.WaitForLoadBalancerAsync("cloudage", "cloudage", KubernetesHarness.Fast);

        Assert.Equal(new Uri("http://[2001:db8::7]:8080/"), address.Url);
    }
}
