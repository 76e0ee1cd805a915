namespace CloudAge.Tools.Aws.Transport;

/// <summary>
/// The patience every AWS client of this project shares by default (ECR, CloudFormation, IAM): 5 tries, 1 s doubling to
/// 20 s between them, 30 s per try. Each client's options derive from it and add the endpoint override and their own settings.
/// </summary>
public abstract record AwsCallOptions : IAwsCallOptions
{
    /// <summary>Tries per call, the first included; throttling, 429, 5xx, resets and timeouts are retried.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The first backoff; it doubles per retry, with jitter, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long one try may take before it is abandoned (and retried).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
