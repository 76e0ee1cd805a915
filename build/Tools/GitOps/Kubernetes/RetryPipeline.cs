using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace CloudAge.Tools.GitOps.Kubernetes;

/// <summary>A failure worth another try (5xx, 429); <see cref="Answer"/> says what the server answered, for the final error.</summary>
internal sealed class TransientFailureException(string answer) : Exception(answer)
{
    public string Answer { get; } = answer;
}

internal static class RetryPipeline
{
    public static ResiliencePipeline Create(RetryOptions options, Func<Exception, bool> isTransient, Action<string> log, string endpoint)
    {
        var builder = new ResiliencePipelineBuilder();
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && IsRetryable(e, isTransient)),
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                OnRetry = args =>
                {
                    log($"{endpoint} failed ({Describe(args.Outcome.Exception)}); retry {args.AttemptNumber + 1} of {options.MaxRetries} in {args.RetryDelay.TotalSeconds:0.#} s.");
                    return default;
                },
            });
        }
        return builder.AddTimeout(options.RequestTimeout).Build();
    }

    // A TLS failure (untrusted or wrong certificate) answers the same on every try: report it at once.
    public static bool IsRetryable(Exception e, Func<Exception, bool> isTransient) =>
        !CloudAge.Common.Net.SafeHttp.IsTlsFailure(e) && (e is TransientFailureException or TimeoutRejectedException or HttpRequestException || isTransient(e));

    /// <summary>What the endpoint answered, in words, for retry lines and the final error (never the request itself).</summary>
    public static string Describe(Exception? e) => e switch
    {
        TransientFailureException t => t.Answer,
        TimeoutRejectedException t => $"no answer within {t.Timeout.TotalSeconds:0.#} s",
        HttpRequestException h => $"connection failed: {h.Message}",
        null => "unknown failure",
        _ => e.Message,
    };
}
