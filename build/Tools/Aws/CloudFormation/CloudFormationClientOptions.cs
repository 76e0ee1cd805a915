namespace CloudAge.Tools.Aws.CloudFormation;

/// <summary>How the CloudFormation client reaches the API and how patiently it retries.</summary>
public sealed record CloudFormationClientOptions : CloudAge.Tools.Aws.Transport.IAwsCallOptions
{
    /// <summary>Overrides <c>https://cloudformation.&lt;region&gt;.amazonaws.com</c> (VPC endpoint, emulator such as moto).</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>Tries per call, the first included; throttling, 429, 5xx, resets and timeouts are retried.</summary>
    public int MaxAttempts { get; init; } = 5;

    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(20);

    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
