using CloudAge.Common.Resilience;
using CloudAge.Common.Secrets;
using CloudAge.Tools.Aws.Credentials;
using CloudAge.Tools.Aws.Signing;
using Polly;

namespace CloudAge.Tools.Aws.Transport;

/// <summary>
/// How every hand-written AWS client here (ECR, CloudFormation, EKS) calls its service: each try builds the request,
/// signs it with SigV4 for the session's region, sends it through a capped handler (SafeHttp: no redirect carries the
/// signature elsewhere, bodies are bounded), and reads the answer whole; the shared <see cref="RetryPolicy"/> retries the
/// service's transient answers and connection failures (<see cref="AwsCallFailures"/>) with a per-try timeout and one log
/// line per retry. The service says what its request looks like, how its answer is read (throwing its own exception
/// for an error answer), how that exception is named in the retry line, and what the last failure becomes when the
/// tries are used up.
/// </summary>
internal sealed class AwsTransport : IDisposable
{
    private static readonly ResiliencePropertyKey<string> OperationKey = new("aws-operation");

    private readonly string _service;
    private readonly string _signingService;
    private readonly AwsSession _session;
    private readonly SecretMasker _masker;
    private readonly TimeProvider _time;
    private readonly Func<Exception, bool> _isTransientAnswer;
    private readonly Action<string>? _log;
    private readonly HttpClient _http;
    private readonly ResiliencePipeline _pipeline;
    // AWS's clock minus this machine's, in ticks, once an answer said the signature's time was off (see ClockSkew).
    private long _clockCorrectionTicks;

    /// <param name="service">The service's name in messages ("ECR").</param>
    /// <param name="signingService">The SigV4 service name ("ecr").</param>
    /// <param name="describeAnswer">The failed try's answer for the retry line, such as "ThrottlingException (HTTP 400)".</param>
    /// <param name="log">Receives the retry lines (redacted); null for none.</param>
    public AwsTransport(string service, string signingService, AwsSession session, SecretMasker masker, IAwsCallOptions options,
        Func<Exception, bool> isTransientAnswer, Func<Exception, string?> describeAnswer, Action<string>? log, HttpMessageHandler? handler)
    {
        _service = service;
        _signingService = signingService;
        _session = session;
        _masker = masker;
        _time = options.TimeProvider;
        var retry = new RetryPolicy { MaxAttempts = options.MaxAttempts, BaseDelay = options.FirstRetryDelay, MaxDelay = options.MaxRetryDelay, AttemptTimeout = options.AttemptTimeout };
        _isTransientAnswer = isTransientAnswer;
        _log = log;
        // Per-try timeouts come from the pipeline; HttpClient's own would cut across retries.
        _http = new HttpClient(handler ?? CloudAge.Common.Net.SafeHttp.CreateHandler(), disposeHandler: handler is null) { Timeout = Timeout.InfiniteTimeSpan };
        _pipeline = retry.Build(
            e => isTransientAnswer(e) || AwsCallFailures.IsConnectionFailure(e),
            attempt =>
            {
                var operation = attempt.Context.Properties.GetValue(OperationKey, "call");
                log?.Invoke(masker.Redact($"{service} {operation} {WhatHappened(attempt.Exception, describeAnswer)}; retrying in {attempt.Delay.TotalSeconds:0.0}s (try {attempt.Failed + 1} of {attempt.MaxAttempts})."));
            });
    }

    // A failed try in words: the service's answer, or why there was none (never an exception's type name).
    private static string WhatHappened(Exception? failure, Func<Exception, string?> describeAnswer) => failure switch
    {
        null => "failed",
        _ when describeAnswer(failure) is { } answer => $"answered {answer}",
        Polly.Timeout.TimeoutRejectedException timeout => $"did not answer within {timeout.Timeout.TotalSeconds:0.#} s",
        _ => $"could not be reached ({CloudAge.Common.Text.PeerText.OneLine(failure.GetBaseException().Message, 200)})",
    };

    /// <summary>
    /// One call, tried until it succeeds, fails for good, or the tries are used up; then <paramref name="gaveUp"/>
    /// turns the number of tries and the last failure (the service's transient answer, or a connection failure) into
    /// the exception thrown.
    /// </summary>
    /// <param name="request">Makes the request of one try (a request is sent once).</param>
    /// <param name="read">Reads a try's answer and its body; throws the service's exception for an error answer.</param>
    public async Task<T> CallAsync<T>(string operation, Func<HttpRequestMessage> request, Func<HttpResponseMessage, string, T> read,
        Func<int, Exception, Exception> gaveUp, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(OperationKey, operation);
        var attempts = 0;
        try
        {
            return await _pipeline.ExecuteAsync(async ctx =>
            {
                attempts++;
                return await OnceAsync(operation, request, read, ctx.CancellationToken).ConfigureAwait(false);
            }, context).ConfigureAwait(false);
        }
        catch (Exception e) when (_isTransientAnswer(e) || (AwsCallFailures.IsConnectionFailure(e) && !cancellationToken.IsCancellationRequested))
        {
            throw gaveUp(attempts, e);
        }
        catch (HttpRequestException e) when (CloudAge.Common.Net.SafeHttp.IsTlsFailure(e))
        {
            // Not retried (it answers the same every time), but still reported as the service's failure at its endpoint.
            throw gaveUp(attempts, e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async Task<T> OnceAsync<T>(string operation, Func<HttpRequestMessage> create, Func<HttpResponseMessage, string, T> read, CancellationToken cancellationToken)
    {
        for (var signing = 1; ; signing++)
        {
            using var request = create();
            var keys = await CredentialKeys.GetAsync(_session.Credentials, _masker).ConfigureAwait(false);
            var signedAt = _time.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _clockCorrectionTicks));
            await SigV4RequestSigner.SignAsync(request, keys, _session.Region, _signingService, signedAt, cancellationToken).ConfigureAwait(false);
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            // Once per try: a second refusal with AWS's own time is not about the clock.
            if (signing == 1 && ClockSkew.AwsTime(response, body, signedAt) is { } awsTime)
            {
                var correction = awsTime - _time.GetUtcNow();
                Interlocked.Exchange(ref _clockCorrectionTicks, correction.Ticks);
                _log?.Invoke(_masker.Redact($"{_service} {operation}: {ClockSkew.Describe(response, body, correction)}"));
                continue;
            }
            return read(response, body);
        }
    }

    /// <summary>A failure and its causes in one line ("The SSL connection could not be established -> ..."), outermost first.</summary>
    public static string Describe(Exception exception)
    {
        var parts = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
            parts.Add(e.Message);
        return CloudAge.Common.Text.PeerText.OneLine(string.Join(" -> ", parts.Distinct(StringComparer.Ordinal)), 600);
    }

    /// <summary>
    /// Why a call was given up on without an answer, for the clients' final messages: "did not answer after 5 tries;
    /// each waited up to 30 s" when the last try timed out (not the runtime's chain of cancellation messages), else
    /// "could not be reached after 3 tries (ConnectionFailed: Connection refused ...)".
    /// </summary>
    public static string Unanswered(int attempts, Exception last) => last is Polly.Timeout.TimeoutRejectedException timeout
        ? $"did not answer after {Tries(attempts)}; each waited up to {timeout.Timeout.TotalSeconds:0.#} s"
        : $"could not be reached after {Tries(attempts)} (ConnectionFailed: {Describe(last)})";

    /// <summary>"1 try", "3 tries": for the messages that say how often a call was tried.</summary>
    public static string Tries(int attempts) => attempts == 1 ? "1 try" : $"{attempts} tries";

    public override string ToString() => $"{_service} transport";

    public void Dispose() => _http.Dispose();
}
