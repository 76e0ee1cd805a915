using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace CloudAge.Tools.Container;

/// <summary>Bounded exponential backoff with jitter for network calls; tests pass short delays.</summary>
public sealed record RetrySettings
{
    public static RetrySettings Default { get; } = new();

    /// <summary>Tries in total, the first included.</summary>
    public int MaxAttempts { get; init; } = 5;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Limit for one try (one HTTP request; one whole image push through the engine is given ten times this).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A push try that reports no progress (no message from the engine) for this long is stalled and given up.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    internal ResiliencePipeline<T> Pipeline<T>(Func<Outcome<T>, bool> isTransient, Action<string> log, string what, TimeSpan attemptTimeout) =>
        new ResiliencePipelineBuilder<T>()
            .AddRetry(new RetryStrategyOptions<T>
            {
                MaxRetryAttempts = Math.Max(0, MaxAttempts - 1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = BaseDelay,
                MaxDelay = MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is TimeoutRejectedException || isTransient(args.Outcome)),
                OnRetry = args =>
                {
                    var reason = args.Outcome.Exception?.Message ?? args.Outcome.Result?.ToString();
                    log($"{what}: try {args.AttemptNumber + 1} of {MaxAttempts} failed ({reason}); retrying in {args.RetryDelay.TotalSeconds:0.0} s");
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(attemptTimeout)
            .Build();
}
