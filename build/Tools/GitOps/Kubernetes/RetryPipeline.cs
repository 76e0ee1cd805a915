using CloudAge.Common.Resilience;
using Polly;
using Polly.Timeout;

namespace CloudAge.Tools.GitOps.Kubernetes;

/// <summary>A failure worth another try (5xx, 429); <see cref="Answer"/> says what the server answered, for the final error.</summary>
internal sealed class TransientFailureException(string answer) : Exception(answer)
{
    public string Answer { get; } = answer;
}

/// <summary>How one call to the Argo CD or Kubernetes API is bounded: a timeout per attempt and retries with backoff.</summary>
public static class RetryPipeline
{
    /// <summary>5 tries (4 retries) for 5xx, 429, timeouts and connection failures, from 1 s, 30 s per try.</summary>
    public static RetryPolicy Default { get; } = new() { AttemptTimeout = TimeSpan.FromSeconds(30) };

    internal static ResiliencePipeline Create(RetryPolicy options, Func<Exception, bool> isTransient, Action<string> log, string endpoint) =>
        options.Build(e => IsRetryable(e, isTransient),
            attempt => log($"{endpoint} failed ({Describe(attempt.Exception)}); retry {attempt.Failed} of {attempt.MaxRetries} in {attempt.Delay.TotalSeconds:0.#} s."));

    internal static bool IsRetryable(Exception e, Func<Exception, bool> isTransient) =>
        e is TransientFailureException or TimeoutRejectedException or HttpRequestException || isTransient(e);

    /// <summary>What the endpoint answered, in words, for retry lines and the final error (never the request itself).</summary>
    internal static string Describe(Exception? e) => e switch
    {
        TransientFailureException t => t.Answer,
        TimeoutRejectedException t => $"no answer within {t.Timeout.TotalSeconds:0.#} s",
        HttpRequestException h => $"connection failed: {h.Message}",
        null => "unknown failure",
        _ => e.Message,
    };
}
