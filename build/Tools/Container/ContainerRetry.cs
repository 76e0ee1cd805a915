using CloudAge.Common.Resilience;
using Polly;
using Polly.Timeout;

namespace CloudAge.Tools.Container;

/// <summary>The container steps' use of the one <see cref="RetryPolicy"/>: registry calls and engine pushes.</summary>
public static class ContainerRetry
{
    /// <summary>5 tries, 1 s base, exponential with jitter, 20 s cap, 60 s per try (one HTTP request; one whole image
    /// push through the engine is given ten times this).</summary>
    public static RetryPolicy Default { get; } = new() { AttemptTimeout = TimeSpan.FromSeconds(60) };

    internal static TimeSpan AttemptTimeoutOrDefault(this RetryPolicy policy) =>
        policy.AttemptTimeout ?? Default.AttemptTimeout!.Value;

    internal static ResiliencePipeline<T> Pipeline<T>(this RetryPolicy policy, Func<Outcome<T>, bool> isTransient, Action<string> log, string what, TimeSpan attemptTimeout) =>
        policy.Build<T>(
            outcome => outcome.Exception is TimeoutRejectedException || isTransient(outcome),
            attempt =>
            {
                var reason = attempt.Exception?.Message ?? attempt.Result?.ToString();
                log($"{what}: try {attempt.Failed} of {attempt.MaxAttempts} failed ({reason}); retrying in {attempt.Delay.TotalSeconds:0.0} s");
            },
            attemptTimeout);
}
