namespace CloudAge.Tools.GitOps.Kubernetes;

/// <summary>How one call to the Argo CD or Kubernetes API is bounded: a timeout per attempt and retries with backoff.</summary>
public sealed record RetryOptions
{
    public static RetryOptions Default { get; } = new();

    /// <summary>Retries after the first attempt for 5xx, 429, timeouts and connection failures.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>First backoff delay; it doubles per retry, with jitter.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
