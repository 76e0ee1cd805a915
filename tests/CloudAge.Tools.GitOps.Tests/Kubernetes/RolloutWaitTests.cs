using CloudAge.Tools.GitOps.Kubernetes;
using CloudAge.Tools.GitOps.Tests.Fakes;
using k8s;
using k8s.Models;
using static CloudAge.Tools.GitOps.Tests.Fakes.KubernetesObjects;

namespace CloudAge.Tools.GitOps.Tests.Kubernetes;

/// <summary>Deployment rollout waits against the in-process Kubernetes API fake, scripted per read (kubectl's rules, FACTS.md 6).</summary>
public sealed class RolloutWaitTests
{
    [Fact]
    public async Task Rollout_completes_once_every_updated_replica_is_available_with_a_line_per_change()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        k8s.Cluster.Deployments["cloudage"] = [
            Deployment(2, 1, 2, 0, 2, 2), Deployment(2, 1, 2, 0, 2, 2),
            Deployment(2, 2, 2, 1, 3, 2), Deployment(2, 2, 2, 1, 3, 2),
            Deployment(2, 2, 2, 2, 3, 2),
            Deployment(2, 2, 2, 2, 2, 1), Deployment(2, 2, 2, 2, 2, 1),
            RolledOut(),
        ];

        var result = await k8s.Waiter.WaitForRolloutAsync("cloudage", "cloudage", KubernetesHarness.Fast);

        Assert.Equal(2, result.Replicas);
        Assert.Equal([
            "Waiting for deployment spec update to be observed...",
            "Waiting for deployment \"cloudage\" rollout to finish: 1 out of 2 new replicas have been updated...",
            "Waiting for deployment \"cloudage\" rollout to finish: 1 old replicas are pending termination...",
            "Waiting for deployment \"cloudage\" rollout to finish: 1 of 2 updated replicas are available...",
            "deployment \"cloudage\" successfully rolled out",
        ], k8s.Output.ToList());
        Assert.Equal(8, k8s.Cluster.ReadsOf<V1Deployment>("cloudage"));
        k8s.AssertTokenNeverShown();
    }

    [Fact]
    public async Task Rollout_fails_at_once_when_the_progress_deadline_is_exceeded()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        k8s.Cluster.Deployments["cloudage"] = [Deployment(2, 2, 2, 1, 3, 2), Deployment(2, 2, 2, 1, 3, 2, "ProgressDeadlineExceeded")];

        var failure = await Assert.ThrowsAsync<ClusterException>(() => k8s.Waiter.WaitForRolloutAsync("cloudage", "cloudage", KubernetesHarness.Fast));

        Assert.Contains("exceeded its progress deadline: ReplicaSet \"cloudage-7d9\" has timed out progressing.", failure.Message);
        Assert.Contains($"Deployment cloudage/cloudage on {k8s.Cluster.BaseAddress} exceeded", failure.Message);
        Assert.Equal(2, k8s.Cluster.ReadsOf<V1Deployment>("cloudage"));
    }

    [Fact]
    public async Task A_paused_deployment_fails_at_once_saying_how_to_resume_it()
    {
        // kubectl would wait for ever: the controller creates no new ReplicaSet for a paused Deployment and stops its
        // progress deadline, so neither success nor ProgressDeadlineExceeded ever comes.
        await using var k8s = await KubernetesHarness.StartAsync();
        k8s.Cluster.Deployments["cloudage"] = [Paused()];

        var failure = await Assert.ThrowsAsync<ClusterException>(() => k8s.Waiter.WaitForRolloutAsync("cloudage", "cloudage", KubernetesHarness.Fast));

        Assert.StartsWith($"Deployment cloudage/cloudage on {k8s.Cluster.BaseAddress} is paused (spec.paused: true)", failure.Message);
        Assert.Contains("`kubectl -n cloudage rollout resume deployment cloudage`", failure.Message);
        Assert.Equal(1, k8s.Cluster.ReadsOf<V1Deployment>("cloudage"));
    }

    [Fact]
    public async Task A_paused_deployment_that_has_rolled_out_is_done()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        var paused = RolledOut();
        paused.Spec.Paused = true;
        k8s.Cluster.Deployments["cloudage"] = [paused];

        var result = await k8s.Waiter.WaitForRolloutAsync("cloudage", "cloudage", KubernetesHarness.Fast);

        Assert.Equal(2, result.Replicas);
    }

    [Fact]
    public async Task Pods_the_API_server_refuses_to_create_are_named_while_waiting_and_in_the_timeout()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        k8s.Cluster.Deployments["cloudage"] = [RefusedPods()];
        await k8s.Client.AppsV1.ReadNamespacedDeploymentAsync("cloudage", "cloudage");

        var failure = await Assert.ThrowsAsync<ClusterException>(() =>
            k8s.Waiter.WaitForRolloutAsync("cloudage", "cloudage", KubernetesHarness.Fast with { Timeout = TimeSpan.FromSeconds(2) }));

        const string Refusal = "0 out of 2 new replicas have been updated... (FailedCreate: pods \"cloudage-6c8f-x2x9q\" is forbidden: exceeded quota: compute";
        Assert.Contains(Refusal, Assert.Single(k8s.Output));
        Assert.Contains(Refusal, failure.Message);
    }

    [Fact]
    public async Task An_autoscaler_changing_replicas_during_the_wait_is_followed_to_the_new_count()
    {
        // A scale is a spec change: the generation moves and the targets with it (kubectl compares with spec.replicas each time).
        await using var k8s = await KubernetesHarness.StartAsync();
        k8s.Cluster.Deployments["cloudage"] = [Deployment(2, 2, 2, 2, 2, 1), Deployment(3, 2, 4, 2, 2, 2), Deployment(3, 3, 4, 4, 4, 2), Deployment(3, 3, 4, 4, 4, 4)];

        var result = await k8s.Waiter.WaitForRolloutAsync("cloudage", "cloudage", KubernetesHarness.Fast);

        Assert.Equal(4, result.Replicas);
        Assert.Equal(4, k8s.Cluster.ReadsOf<V1Deployment>("cloudage"));
        Assert.Contains("Waiting for deployment \"cloudage\" rollout to finish: 2 of 4 updated replicas are available...", k8s.Output);
    }

    [Fact]
    public async Task A_long_unchanged_wait_prints_its_state_again_with_the_time_spent()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        k8s.Cluster.Deployments["cloudage"] = [Deployment(2, 2, 2, 2, 2, 0)];
        await k8s.Client.AppsV1.ReadNamespacedDeploymentAsync("cloudage", "cloudage");

        await Assert.ThrowsAsync<ClusterException>(() => k8s.Waiter.WaitForRolloutAsync("cloudage", "cloudage",
            KubernetesHarness.Fast with { Timeout = TimeSpan.FromSeconds(3), ProgressInterval = TimeSpan.FromMilliseconds(200) }));

        Assert.True(k8s.Output.Count >= 3, string.Join("\n", k8s.Output));
        Assert.Contains(k8s.Output, l => l.StartsWith("Waiting for deployment \"cloudage\" rollout to finish: 0 of 2 updated replicas are available... (still waiting after ", StringComparison.Ordinal)
            && l.EndsWith(" s of at most 3 s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rollout_that_never_becomes_available_times_out_with_the_last_state()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        k8s.Cluster.Deployments["cloudage"] = [Deployment(2, 2, 2, 2, 2, 0)];
        // Outside the timed wait: a client's first call compiles its serializers, seconds on a loaded 2-core machine.
        await k8s.Client.AppsV1.ReadNamespacedDeploymentAsync("cloudage", "cloudage");

        var failure = await Assert.ThrowsAsync<ClusterException>(() =>
            k8s.Waiter.WaitForRolloutAsync("cloudage", "cloudage", KubernetesHarness.Fast with { Timeout = TimeSpan.FromSeconds(4) }));

        Assert.Contains($"Deployment cloudage/cloudage on {k8s.Cluster.BaseAddress} did not finish rolling out within 4 s", failure.Message);
        Assert.Contains("0 of 2 updated replicas are available", failure.Message);
        Assert.Contains("see why with `kubectl -n cloudage describe deployment cloudage`", failure.Message);
        Assert.Single(k8s.Output);
    }

    [Fact]
    public async Task A_rejected_token_fails_at_once_saying_what_to_do_without_showing_it()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        k8s.Cluster.Deployments["cloudage"] = [RolledOut()];
        k8s.Cluster.Token = "a-token-for-someone-else";

        var failure = await Assert.ThrowsAsync<ClusterException>(() => k8s.Waiter.WaitForRolloutAsync("cloudage", "cloudage", KubernetesHarness.Fast));

        Assert.Contains("answered 401 Unauthorized", failure.Message);
        Assert.Contains("access entry", failure.Message);
        Assert.Single(k8s.Cluster.Requests);
        k8s.AssertTokenNeverShown(failure);
    }

    [Fact]
    public async Task An_identity_RBAC_does_not_allow_to_read_the_Deployment_is_told_which_access_to_grant()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        k8s.Cluster.Deployments["cloudage"] = [RolledOut()];
        k8s.Cluster.ForbiddenResources.Add("deployments");

        var failure = await Assert.ThrowsAsync<ClusterForbiddenException>(() => k8s.Waiter.WaitForRolloutAsync("cloudage", "cloudage", KubernetesHarness.Fast));

        Assert.Contains("answered 403 Forbidden (deployments.apps \"cloudage\" is forbidden: User \"arn:aws:sts::123456789012:assumed-role/cloudage-github-deploy/GitHubActions\" " +
            "cannot get resource \"deployments\" in API group \"apps\" in the namespace \"cloudage\")", failure.Message);
        Assert.Contains("GetUrl needs get on deployments and services and list on events in namespace 'cloudage' (on EKS: the access policy AmazonEKSViewPolicy", failure.Message);
        Assert.DoesNotContain("patch", failure.Message);
        Assert.Single(k8s.Cluster.Requests);
    }

    [Fact]
    public async Task Server_errors_are_retried_until_the_API_recovers()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        k8s.Cluster.Deployments["cloudage"] = [RolledOut()];
        k8s.Cluster.Failures.Enqueue(500);
        k8s.Cluster.Failures.Enqueue(503);

        await k8s.Waiter.WaitForRolloutAsync("cloudage", "cloudage", KubernetesHarness.Fast);

        Assert.Equal(2, k8s.Output.Count(l => l.Contains("; retry ")));
        Assert.Equal(3, k8s.Cluster.Requests.Count);
    }

    [Fact]
    public async Task A_missing_deployment_is_named_in_the_error()
    {
        await using var k8s = await KubernetesHarness.StartAsync();

        var failure = await Assert.ThrowsAsync<ClusterException>(() => k8s.Waiter.WaitForRolloutAsync("cloudage", "nosuch", KubernetesHarness.Fast));

        Assert.Contains("Could not read Deployment cloudage/nosuch", failure.Message);
        Assert.Contains("404", failure.Message);
    }
}
