using System.Diagnostics;
using CloudAge.Tools.GitOps.Git;
using CloudAge.Tools.GitOps.Kubernetes;

namespace CloudAge.Tools.GitOps.Smoke;

/// <summary>Where the app runs and which commit it must report.</summary>
public sealed record AppUrlRequest(string Namespace, string Deployment, string Service)
{
    /// <summary>The commit of the image being deployed. Null: read from the <c>sha-&lt;hex&gt;</c> tag of the image the
    /// live Deployment runs (never the checkout's HEAD, which after a deploy from a laptop is the bot's tag-bump commit).</summary>
    public string? ExpectedCommit { get; init; }

    /// <summary>The container whose image is the app's (the manifests name it <c>cloudage</c>).</summary>
    public string Container { get; init; } = "cloudage";

    /// <summary>For everything together: the rollout, the load balancer address and the smoke check.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>First pause between smoke attempts (it doubles with jitter).</summary>
    public TimeSpan SmokeRetryInterval { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>The app answered at <see cref="Url"/>, reporting <see cref="Version"/>, running <see cref="Image"/>.</summary>
public sealed record AppUrlResult(Uri Url, string? Version, string? Image, string? ExpectedCommit);

/// <summary>
/// GetUrl: waits for the rollout, then the load balancer, then smoke-checks <c>GET /</c> for the commit being deployed;
/// one deadline (<see cref="AppUrlRequest.Timeout"/>) bounds the three waits together.
/// </summary>
public sealed class AppUrlWaiter(KubernetesWaiter waiter, SmokeChecker smoke, Action<string> log)
{
    public async Task<AppUrlResult> WaitAsync(AppUrlRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clock = Stopwatch.StartNew();
        TimeSpan Left() => request.Timeout - clock.Elapsed is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero;

        var rollout = await waiter.WaitForRolloutAsync(request.Namespace, request.Deployment,
            new WaitOptions { Timeout = Left(), PollInterval = request.PollInterval }, cancellationToken);
        // kubectl calls a Deployment of 0 replicas rolled out, but nothing would ever answer the smoke check behind its Service.
        if (rollout.Replicas == 0)
            throw new ClusterException($"Deployment {request.Namespace}/{request.Deployment} on {waiter.Server} is scaled to 0 replicas, so nothing behind " +
                $"Service {request.Namespace}/{request.Service} can answer GET /; set its spec.replicas (or its HorizontalPodAutoscaler's minReplicas) to at least 1 and deploy again.");
        var image = rollout.Images.TryGetValue(request.Container, out var named) ? named
            : rollout.Images.Count == 1 ? rollout.Images.Values.Single() : null;
        var expected = request.ExpectedCommit ?? ImageCommit.FromTag(ImageCommit.TagOfImage(image));
        log(expected is null
            ? $"Deployment {request.Namespace}/{request.Deployment} runs {image ?? "an unknown image"}; its tag names no commit, so the smoke check does not compare commits."
            : $"Deployment {request.Namespace}/{request.Deployment} runs {image ?? "?"}; the service must report commit {expected}.");

        var address = await waiter.WaitForLoadBalancerAsync(request.Namespace, request.Service,
            new WaitOptions { Timeout = Left(), PollInterval = request.PollInterval }, cancellationToken);
        var result = await smoke.CheckAsync(new SmokeCheckRequest(address.Url)
        {
            ExpectedCommit = expected,
            Timeout = Left(),
            RetryInterval = request.SmokeRetryInterval,
        }, cancellationToken);
        return new AppUrlResult(result.Url, result.Version, image, expected);
    }
}
