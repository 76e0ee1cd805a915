namespace CloudAge.Tools.GitOps.Smoke;

/// <summary>What to check: <c>GET url</c> answers 200 and, when its JSON carries <c>version</c>, that it is <see cref="ExpectedVersion"/>.</summary>
public sealed record SmokeCheckRequest(Uri Url)
{
    /// <summary>Null skips the version check. A reported <c>1.2.3+abc</c> matches an expected <c>1.2.3</c> (build metadata is ignored).</summary>
    public string? ExpectedVersion { get; init; }

    /// <summary>Null skips the commit check; otherwise a reported <c>commit</c> must name it (short or full sha).</summary>
    public string? ExpectedCommit { get; init; }

    /// <summary>For all attempts together: a new load balancer's DNS name can take minutes to resolve and pass health checks.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>First pause between attempts; it doubles (with jitter) up to <see cref="MaxRetryInterval"/>.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxRetryInterval { get; init; } = TimeSpan.FromSeconds(20);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often an unchanged answer is printed again, so a long wait shows it is alive.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>The URL answered 200 (with the expected version when one was asked for).</summary>
public sealed record SmokeCheckResult(Uri Url, string? Version, int Attempts, TimeSpan Elapsed);

/// <summary>The URL never answered as expected within the timeout; the message has the last answer.</summary>
public sealed class SmokeCheckException(string message) : CloudAge.Common.Errors.ToolException(message);
