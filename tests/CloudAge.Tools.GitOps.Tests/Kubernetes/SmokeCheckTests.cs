using CloudAge.Tools.GitOps.Smoke;
using CloudAge.Tools.GitOps.Tests.Fakes;
using static CloudAge.Tools.GitOps.Tests.Fakes.KubernetesObjects;

namespace CloudAge.Tools.GitOps.Tests.Kubernetes;

/// <summary>Smoke checks against a small in-process HTTP server standing in for the service behind its load balancer.</summary>
public sealed class SmokeCheckTests
{
    private static SmokeCheckRequest Fast(Uri url, string? version) => new(url)
    {
        ExpectedVersion = version,
        Timeout = TimeSpan.FromSeconds(10),
        RetryInterval = TimeSpan.FromMilliseconds(10),
        MaxRetryInterval = TimeSpan.FromMilliseconds(40),
        RequestTimeout = TimeSpan.FromSeconds(2),
    };

    [Fact]
    public async Task The_url_passes_when_it_answers_200_with_the_deployed_version()
    {
        await using var target = await SmokeTarget.StartAsync((200, SmokeTarget.Version("1.4.0")));
        using var checker = new SmokeChecker(_ => { });

        var result = await checker.CheckAsync(Fast(target.Url, "1.4.0"));

        Assert.Equal("1.4.0", result.Version);
        Assert.Equal(1, result.Attempts);
    }

    [Fact]
    public async Task It_retries_while_the_load_balancer_settles_and_old_replicas_answer()
    {
        await using var target = await SmokeTarget.StartAsync(
            (503, "no healthy upstream"), (503, "no healthy upstream"), (200, SmokeTarget.Version("1.3.9")), (200, SmokeTarget.Version("1.4.0+4f2c9e1")));
        var output = new List<string>();
        using var checker = new SmokeChecker(output.Add);

        var result = await checker.CheckAsync(Fast(target.Url, "1.4.0"));

        Assert.Equal(4, result.Attempts);
        Assert.Equal("1.4.0+4f2c9e1", result.Version);
        Assert.Equal([
            $"GET {target.Url} -> HTTP 503 ServiceUnavailable",
            $"GET {target.Url} -> HTTP 200, version 1.3.9, commit abc1234 (waiting for version 1.4.0)",
            $"GET {target.Url} -> HTTP 200, version 1.4.0+4f2c9e1, commit abc1234",
        ], output);
    }

    [Fact]
    public async Task It_waits_until_the_answer_reports_the_deployed_commit()
    {
        await using var target = await SmokeTarget.StartAsync(
            (200, """{"service":"cloudage","version":"1.4.0","commit":"0ld0ld0ld0ld"}"""),
            (200, """{"service":"cloudage","version":"1.4.0","commit":"4f2c9e1d2b3a"}"""));
        var output = new List<string>();
        using var checker = new SmokeChecker(output.Add);

        var result = await checker.CheckAsync(Fast(target.Url, null) with { ExpectedCommit = "4f2c9e1d2b3a5c6d7e8f90112233445566778899" });

        Assert.Equal(2, result.Attempts);
        Assert.Contains(output, line => line.EndsWith("commit 0ld0ld0ld0ld (waiting for commit 4f2c9e1d2b3a5c6d7e8f90112233445566778899)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_page_that_reports_no_version_passes_on_200()
    {
        await using var target = await SmokeTarget.StartAsync((200, "hello"));
        using var checker = new SmokeChecker(_ => { });

        var result = await checker.CheckAsync(Fast(target.Url, "1.4.0"));

        Assert.Null(result.Version);
    }

    [Fact]
    public async Task It_gives_up_after_the_timeout_with_the_last_answer()
    {
        await using var target = await SmokeTarget.StartAsync((200, SmokeTarget.Version("1.3.9")));
        using var checker = new SmokeChecker(_ => { });
        // Outside the timed check: the first request of a process compiles the HTTP stack; since no attempt may outlive the
        // timeout, a cold first attempt could otherwise be cut short and the last answer would be "no answer".
        await checker.CheckAsync(Fast(target.Url, null));

        var failure = await Assert.ThrowsAsync<SmokeCheckException>(() => checker.CheckAsync(Fast(target.Url, "1.4.0") with { Timeout = TimeSpan.FromSeconds(2) }));

        Assert.Contains("did not answer as expected within 2 s", failure.Message);
        Assert.Contains("version 1.3.9, commit abc1234 (waiting for version 1.4.0)", failure.Message);
        Assert.True(target.Requests >= 2);
    }

    [Fact]
    public async Task An_address_that_refuses_connections_fails_saying_so()
    {
        Uri closed;
        await using (var target = await SmokeTarget.StartAsync((200, "hello")))
            closed = target.Url;
        using var checker = new SmokeChecker(_ => { });

        var failure = await Assert.ThrowsAsync<SmokeCheckException>(() => checker.CheckAsync(Fast(closed, null) with { Timeout = TimeSpan.FromMilliseconds(300) }));

        Assert.Contains("connection failed", failure.Message);
    }

    [Fact]
    public async Task An_unchanged_answer_is_printed_again_with_the_time_spent()
    {
        await using var target = await SmokeTarget.StartAsync((503, "no healthy upstream"));
        var output = new List<string>();
        using var checker = new SmokeChecker(output.Add);
        // Outside the timed check: the first request of a process compiles the HTTP stack, seconds on a loaded machine.
        await Assert.ThrowsAsync<SmokeCheckException>(() => checker.CheckAsync(Fast(target.Url, null) with { Timeout = TimeSpan.FromMilliseconds(100) }));
        output.Clear();

        await Assert.ThrowsAsync<SmokeCheckException>(() =>
            checker.CheckAsync(Fast(target.Url, null) with { Timeout = TimeSpan.FromSeconds(3), ProgressInterval = TimeSpan.FromMilliseconds(200) }));

        Assert.Equal($"GET {target.Url} -> HTTP 503 ServiceUnavailable", output[0]);
        Assert.Contains(output, l => l.StartsWith($"GET {target.Url} -> HTTP 503 ServiceUnavailable (still trying after ", StringComparison.Ordinal)
            && l.EndsWith(" s of at most 3 s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_name_that_does_not_resolve_yet_is_said_as_such_and_retried_until_the_timeout()
    {
        // .invalid never resolves (RFC 6761), as a brand-new NLB's name does not for its first minutes.
        var url = new Uri("http://k8s-cloudage-0123456789.invalid/");
        var output = new List<string>();
        using var checker = new SmokeChecker(output.Add);

        // 4 s: a lookup of the name can take most of a second on a busy resolver, and the test needs two answers or more.
        var failure = await Assert.ThrowsAsync<SmokeCheckException>(() =>
            checker.CheckAsync(Fast(url, null) with { Timeout = TimeSpan.FromSeconds(4), ProgressInterval = TimeSpan.FromMilliseconds(300) }));

        const string Answer = "the name k8s-cloudage-0123456789.invalid does not resolve yet (a new load balancer's DNS name can take a few minutes to appear)";
        Assert.Equal($"GET {url} -> {Answer}", output[0]);
        Assert.Contains(output, l => l.StartsWith($"GET {url} -> {Answer} (still trying after ", StringComparison.Ordinal));
        Assert.Contains($"last answer: {Answer}", failure.Message);
        Assert.Matches(@"\(([2-9]|\d\d+) attempts\)", failure.Message);
    }

    [Fact]
    public async Task GetUrl_waits_for_rollout_and_address_then_smoke_checks_the_service_behind_it()
    {
        await using var target = await SmokeTarget.StartAsync((200, SmokeTarget.Version("1.4.0")));
        await using var k8s = await KubernetesHarness.StartAsync();
        k8s.Cluster.Deployments["cloudage"] = [Deployment(2, 2, 2, 2, 2, 1), RolledOut()];
        k8s.Cluster.Services["cloudage"] = [Service(), Service(ip: "127.0.0.1", port: target.Port)];
        using var checker = new SmokeChecker(k8s.Output.Enqueue);

        await k8s.Waiter.WaitForRolloutAsync("cloudage", "cloudage", KubernetesHarness.Fast);
        var address = await k8s.Waiter.WaitForLoadBalancerAsync("cloudage", "cloudage", KubernetesHarness.Fast);
        var result = await checker.CheckAsync(Fast(address.Url, "1.4.0"));

        Assert.Equal(target.Url, result.Url);
        Assert.Equal(1, target.Requests);
        k8s.AssertTokenNeverShown();
    }
}
