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

    /// <summary>
    /// The longest pause a registry or token service may ask for with <c>Retry-After</c> (on a 429 or 503) and still be
    /// waited for; an answer asking for longer ends the call at once with its words, since a try before then is refused
    /// again and counts against the limit (Docker Hub's pull limit asks for hours).
    /// </summary>
    public static TimeSpan LongestAskedPause { get; } = TimeSpan.FromSeconds(60);

    internal static TimeSpan AttemptTimeoutOrDefault(this RetryPolicy policy) =>
        policy.AttemptTimeout ?? Default.AttemptTimeout!.Value;

    /// <param name="attemptTimeout">The bound on one try; null for none, when the caller bounds the try another way
    /// (an upload's <see cref="CloudAge.Common.Net.StallWatch"/>).</param>
    /// <param name="askedPause">The pause a result asks for, waited instead of the backoff's (see <see cref="HttpPipeline"/>).</param>
    internal static ResiliencePipeline<T> Pipeline<T>(this RetryPolicy policy, Func<Outcome<T>, bool> isTransient, Action<string> log, string what, TimeSpan? attemptTimeout,
        Func<T, TimeSpan?>? askedPause = null) =>
        // The policy's own AttemptTimeout applies when none is passed; a try with no bound must drop it too.
        (attemptTimeout is null ? policy with { AttemptTimeout = null } : policy).Build<T>(
            outcome => outcome.Exception is TimeoutRejectedException || isTransient(outcome),
            attempt => log($"{what}: try {attempt.Failed} of {attempt.MaxAttempts} failed ({Describe(attempt)}); retrying in {attempt.Delay.TotalSeconds:0.0} s"),
            attemptTimeout, askedPause);

    /// <summary>
    /// A pipeline over HTTP answers that waits the pause an answer asks for (distribution-spec, "Error Codes": a 429
    /// SHOULD carry Retry-After, RFC 9110 10.2.3, in seconds or as a date) instead of its own backoff, and does not retry
    /// an answer that asks for more than <see cref="LongestAskedPause"/>.
    /// </summary>
    internal static ResiliencePipeline<HttpResponseMessage> HttpPipeline(this RetryPolicy policy, Func<Outcome<HttpResponseMessage>, bool> isTransient,
        Action<string> log, string what, TimeSpan? attemptTimeout) =>
        policy.Pipeline<HttpResponseMessage>(outcome => isTransient(outcome) && !AsksTooLong(outcome.Result), log, what, attemptTimeout, AskedPause);

    /// <summary>The pause an answer asks for with <c>Retry-After</c>, or null when it has none.</summary>
    internal static TimeSpan? AskedPause(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>True when the answer asks for a longer pause than is waited for.</summary>
    internal static bool AsksTooLong(HttpResponseMessage? response) => response is not null && AskedPause(response) > LongestAskedPause;

    // A response's ToString lists every header (Set-Cookie included) over many lines; the status is what failed, and
    // what a peer wrote goes on one bounded line.
    private static string Describe(RetryAttempt attempt) => attempt switch
    {
        { Exception: { } e } => PeerText.OneLine(e.Message, 600),
        { Result: HttpResponseMessage r } => $"HTTP {(int)r.StatusCode} {PeerText.OneLine(r.ReasonPhrase, 100)}".TrimEnd(),
        _ => PeerText.OneLine(attempt.Result?.ToString(), 100),
    };
}
