using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace CloudAge.Common.Resilience;

/// <summary>
/// How patiently a call is retried, written once for every client (Polly.Core underneath): <see cref="MaxAttempts"/>
/// tries in total, the first included, with exponential, jittered pauses from <see cref="BaseDelay"/> up to
/// <see cref="MaxDelay"/>, and each try bounded by <see cref="AttemptTimeout"/> when one is set. Tests pass short delays.
/// </summary>
public sealed record RetryPolicy
{
    public static RetryPolicy Default { get; } = new();

    /// <summary>Tries in total, the first included; 1 means no retry.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The first pause; it doubles per retry, with jitter, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long one try may take before it is abandoned (a <see cref="TimeoutRejectedException"/>), or null for no limit.</summary>
    public TimeSpan? AttemptTimeout { get; init; }

    /// <summary>A pipeline that retries the exceptions <paramref name="shouldRetry"/> accepts.</summary>
    /// <param name="onRetry">Told before each pause, for a progress line.</param>
    /// <param name="attemptTimeout">Overrides <see cref="AttemptTimeout"/> for this pipeline.</param>
    public ResiliencePipeline Build(Func<Exception, bool> shouldRetry, Action<RetryAttempt>? onRetry = null, TimeSpan? attemptTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(shouldRetry);
        var builder = new ResiliencePipelineBuilder();
        if (MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && shouldRetry(e)),
                MaxRetryAttempts = MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = BaseDelay,
                MaxDelay = MaxDelay,
                OnRetry = args =>
                {
                    onRetry?.Invoke(new RetryAttempt(args.AttemptNumber + 1, MaxAttempts, args.RetryDelay, args.Outcome.Exception, null, args.Context));
                    return default;
                },
            });
        }
        if ((attemptTimeout ?? AttemptTimeout) is { } timeout)
            builder.AddTimeout(timeout);
        return builder.Build();
    }

    /// <summary>A pipeline over results: <paramref name="shouldRetry"/> sees each outcome, an exception or a result.</summary>
    /// <param name="askedPause">The pause a result asks for (an HTTP answer's Retry-After), waited instead of the backoff's;
    /// null where it asks for none. The caller bounds it, by not retrying a result that asks for too long.</param>
    public ResiliencePipeline<T> Build<T>(Func<Outcome<T>, bool> shouldRetry, Action<RetryAttempt>? onRetry = null, TimeSpan? attemptTimeout = null,
        Func<T, TimeSpan?>? askedPause = null)
    {
        ArgumentNullException.ThrowIfNull(shouldRetry);
        var builder = new ResiliencePipelineBuilder<T>();
        if (MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<T>
            {
                ShouldHandle = args => ValueTask.FromResult(shouldRetry(args.Outcome)),
                MaxRetryAttempts = MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = BaseDelay,
                MaxDelay = MaxDelay,
                DelayGenerator = askedPause is null ? null
                    : args => ValueTask.FromResult(args.Outcome.Result is { } result ? askedPause(result) : null),
                OnRetry = args =>
                {
                    onRetry?.Invoke(new RetryAttempt(args.AttemptNumber + 1, MaxAttempts, args.RetryDelay, args.Outcome.Exception, args.Outcome.Result, args.Context));
                    return default;
                },
            });
        }
        if ((attemptTimeout ?? AttemptTimeout) is { } timeout)
            builder.AddTimeout(timeout);
        return builder.Build();
    }
}

/// <summary>One failed try about to be retried.</summary>
/// <param name="Failed">The try that failed, counting from 1; the next one is <c>Failed + 1</c>.</param>
/// <param name="MaxAttempts">Tries in total.</param>
/// <param name="Delay">The pause before the next try.</param>
/// <param name="Exception">What the try threw, or null when it returned a result worth retrying.</param>
/// <param name="Result">The result it returned, when it did not throw.</param>
public sealed record RetryAttempt(int Failed, int MaxAttempts, TimeSpan Delay, Exception? Exception, object? Result, ResilienceContext Context)
{
    /// <summary>Retries after the first try, in total.</summary>
    public int MaxRetries => MaxAttempts - 1;
}
