using System.Diagnostics;
using CloudAge.Tools.GitOps.Kubernetes;
using CloudAge.Tools.GitOps.Smoke;
using CloudAge.Tools.GitOps.Tests.Fakes;
using CloudAge.Tools.GitOps.Tests.Fixtures;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using static CloudAge.Tools.GitOps.Tests.Fakes.KubernetesObjects;

namespace CloudAge.Tools.GitOps.Tests.Kubernetes;

/// <summary>GetUrl's waits (rollout, load balancer, smoke check) against the in-process Kubernetes API fake and a real HTTP
/// server on loopback standing in for the service.</summary>
public sealed class AppUrlWaiterTests
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static V1Deployment Running(string image)
    {
        var deployment = RolledOut();
        deployment.Spec.Template.Spec = new V1PodSpec
        {
            Containers =
            [
                new V1Container { Name = "log-shipper", Image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/cloudage:sha-deadbee" },
                new V1Container { Name = "cloudage", Image = image },
            ],
        };
        return deployment;
    }

    private static AppUrlRequest Request(TimeSpan timeout) => new("cloudage", "cloudage", "cloudage")
    {
        Timeout = timeout,
        PollInterval = TimeSpan.FromMilliseconds(10),
        SmokeRetryInterval = TimeSpan.FromMilliseconds(20),
    };

    [Fact]
    public async Task After_a_laptop_deploy_it_waits_for_the_commit_of_the_running_image_not_HEAD()
    {
        // A laptop checkout after Deploy: the user's commit, then the bot's tag-bump commit on top (HEAD).
        await using var git = await GitSandbox.CreateAsync(new Dictionary<string, string> { ["app/Program.cs"] = "// v1\n" });
        var built = await git.PushChangeAsync("app/Program.cs", "// v2\n", "feature");
        var bot = await git.PushChangeAsync("k8s/deployment.yaml", $"image: x:sha-{built[..7]}\n", "Deploy [skip ci]");
        await git.GitAsync(git.Clone, "pull", "--quiet", "--ff-only");
        Assert.Equal(bot, await git.GitAsync(git.Clone, "rev-parse", "HEAD"));

        await using var target = await SmokeTarget.StartAsync((200, $$"""{"service":"cloudage","version":"1.4.0","commit":"{{built}}"}"""));
        await using var k8s = await KubernetesHarness.StartAsync();
        k8s.Cluster.Deployments["cloudage"] = [Running($"123456789012.dkr.ecr.us-east-1.amazonaws.com:443/cloudage:sha-{built[..7]}@{Digest}")];
        k8s.Cluster.Services["cloudage"] = [Service(), Service(ip: "127.0.0.1", port: target.Port)];
        using var smoke = new SmokeChecker(k8s.Output.Enqueue);
        var waiter = new AppUrlWaiter(k8s.Waiter, smoke, k8s.Output.Enqueue);

        var result = await waiter.WaitAsync(Request(TimeSpan.FromSeconds(20)));

        Assert.Equal(built[..7], result.ExpectedCommit);
        Assert.Equal(target.Url, result.Url);
        Assert.Contains(k8s.Output, l => l.Contains($"must report commit {built[..7]}"));
        // Waiting for HEAD instead (what GetUrl did before) never succeeds: the service runs the user's commit.
        var before = target.Requests;
        await Assert.ThrowsAsync<SmokeCheckException>(() => waiter.WaitAsync(Request(TimeSpan.FromSeconds(4)) with { ExpectedCommit = bot[..7] }));
        Assert.True(target.Requests > before, "the service was not asked again");
        Assert.Contains(k8s.Output, l => l.Contains($"(waiting for commit {bot[..7]})"));
        k8s.AssertTokenNeverShown();
    }

    [Fact]
    public async Task The_smoke_check_stops_at_the_rollout_timeout_even_when_the_service_never_answers()
    {
        // A load balancer that accepts connections and never answers: each request would wait its own 10 s.
        await using var silent = await FakeHttpServer.StartAsync(context => Task.Delay(Timeout.Infinite, context.RequestAborted));
        await using var k8s = await KubernetesHarness.StartAsync();
        k8s.Cluster.Deployments["cloudage"] = [Running("registry.example.com/cloudage:sha-abc1234")];
        k8s.Cluster.Services["cloudage"] = [Service(ip: "127.0.0.1", port: silent.BaseAddress.Port)];
        using var smoke = new SmokeChecker(k8s.Output.Enqueue);
        // Outside the timed part: the first client call compiles serializers, seconds on a loaded machine.
        await k8s.Waiter.WaitForRolloutAsync("cloudage", "cloudage", KubernetesHarness.Fast);
        var clock = Stopwatch.StartNew();

        var failure = await Assert.ThrowsAsync<SmokeCheckException>(() =>
            new AppUrlWaiter(k8s.Waiter, smoke, k8s.Output.Enqueue).WaitAsync(Request(TimeSpan.FromSeconds(2))));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"took {clock.Elapsed.TotalSeconds:0.0} s for a 2 s rollout timeout");
        Assert.Contains("within 2 s", failure.Message);
        Assert.Contains("no answer within", failure.Message);
    }

    [Fact]
    public async Task A_rollout_that_uses_up_the_timeout_leaves_nothing_for_later_waits()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        k8s.Cluster.Deployments["cloudage"] = [Deployment(2, 2, 2, 1, 2, 1)];
        using var smoke = new SmokeChecker(k8s.Output.Enqueue);

        var failure = await Assert.ThrowsAsync<ClusterException>(() =>
            new AppUrlWaiter(k8s.Waiter, smoke, k8s.Output.Enqueue).WaitAsync(Request(TimeSpan.FromSeconds(2))));

        Assert.Contains("did not finish rolling out within 2 s", failure.Message);
        Assert.Equal(0, k8s.Cluster.ReadsOf<V1Service>("cloudage"));
    }

    [Fact]
    public async Task A_deployment_scaled_to_zero_fails_before_waiting_for_an_answer_that_cannot_come()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        k8s.Cluster.Deployments["cloudage"] = [Deployment(4, 4, 0, 0, 0, 0)];
        k8s.Cluster.Services["cloudage"] = [Service(hostname: "k8s-cloudage-0123456789.elb.eu-west-1.amazonaws.com")];
        using var smoke = new SmokeChecker(k8s.Output.Enqueue);

        var failure = await Assert.ThrowsAsync<ClusterException>(() =>
            new AppUrlWaiter(k8s.Waiter, smoke, k8s.Output.Enqueue).WaitAsync(Request(TimeSpan.FromSeconds(20))));

        Assert.Equal($"Deployment cloudage/cloudage on {k8s.Cluster.BaseAddress} is scaled to 0 replicas, so nothing behind Service cloudage/cloudage can answer GET /; " +
            "set its spec.replicas (or its HorizontalPodAutoscaler's minReplicas) to at least 1 and deploy again.", failure.Message);
        Assert.Equal(0, k8s.Cluster.ReadsOf<V1Service>("cloudage"));
    }
}
