using CloudAge.Common.Resilience;
using CloudAge.Common.Text;
using Polly;
using Polly.Timeout;

namespace CloudAge.Tools.Container;

/// <summary>The container steps' use of the one <see cref="RetryPolicy"/>: registry calls, token requests and engine pushes.</summary>
public static class ContainerRetry
{
    /// <summary>5 tries, 1 s base, exponential with jitter, 20 s cap, 60 s per try (one HTTP request; one whole image
    /// push through the engine is given ten times this).</summary>
    public static RetryPolicy Default { get; } = new() { AttemptTimeout = TimeSpan.FromSeconds(60) };

    internal static TimeSpan AttemptTimeoutOrDefault(this RetryPolicy policy) =>
        policy.AttemptTimeout ?? Default.AttemptTimeout!.Value;

    /// <param name="attemptTimeout">The bound on one try; null for none, when the caller bounds the try another way
    /// (an upload's <see cref="CloudAge.Common.Net.StallWatch"/>).</param>
    internal static ResiliencePipeline<T> Pipeline<T>(this RetryPolicy policy, Func<Outcome<T>, bool> isTransient, Action<string> log, string what, TimeSpan? attemptTimeout) =>
        // The policy's own AttemptTimeout applies when none is passed; a try with no bound must drop it too.
        (attemptTimeout is null ? policy with { AttemptTimeout = null } : policy).Build<T>(
            outcome => outcome.Exception is TimeoutRejectedException || isTransient(outcome),
            attempt => log($"{what}: try {attempt.Failed} of {attempt.MaxAttempts} failed ({Describe(attempt)}); retrying in {attempt.Delay.TotalSeconds:0.0} s"),
            attemptTimeout);

    // A response's ToString lists every header (Set-Cookie included) over many lines; the status is what failed, and
    // what a peer wrote goes on one bounded line.
    private static string Describe(RetryAttempt attempt) => attempt switch
    {
        { Exception: { } e } => PeerText.OneLine(e.Message, 600),
        { Result: HttpResponseMessage r } => $"HTTP {(int)r.StatusCode} {PeerText.OneLine(r.ReasonPhrase, 100)}".TrimEnd(),
        _ => PeerText.OneLine(attempt.Result?.ToString(), 100),
    };
}
