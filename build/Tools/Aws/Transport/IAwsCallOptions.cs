namespace CloudAge.Tools.Aws.Transport;

/// <summary>How patiently a client calls its service: what every AWS client's options share, read by <see cref="AwsTransport"/>.</summary>
public interface IAwsCallOptions
{
    /// <summary>Tries per call, the first included.</summary>
    int MaxAttempts { get; }

    /// <summary>The first backoff; it doubles per retry, with jitter, up to <see cref="MaxRetryDelay"/>.</summary>
    TimeSpan FirstRetryDelay { get; }

    TimeSpan MaxRetryDelay { get; }

    /// <summary>How long one try may take before it is abandoned (and retried).</summary>
    TimeSpan AttemptTimeout { get; }

    TimeProvider TimeProvider { get; }
}
