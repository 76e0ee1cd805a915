namespace CloudAge.Tools.Aws.Ecr;

/// <summary>How the ECR client reaches the API and how patiently it retries.</summary>
public sealed record EcrClientOptions : CloudAge.Tools.Aws.Transport.IAwsCallOptions
{
    /// <summary>Overrides <c>https://api.ecr.&lt;region&gt;.amazonaws.com</c> (VPC endpoint, emulator such as moto).</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>Tries per call, the first included; throttling, 429, 5xx, resets and timeouts are retried.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The first backoff; it doubles per retry, with jitter, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long one try may take before it is abandoned (and retried).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often <see cref="EcrClient.WaitForScanAsync"/> asks for the scan status.</summary>
    public TimeSpan ScanPollInterval { get; init; } = TimeSpan.FromSeconds(5);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
