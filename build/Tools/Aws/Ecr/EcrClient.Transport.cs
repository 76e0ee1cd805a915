using System.Net.Http.Headers;
using System.Text.Json;
using CloudAge.Tools.Aws.Credentials;
using CloudAge.Tools.Aws.Signing;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace CloudAge.Tools.Aws.Ecr;

public sealed partial class EcrClient
{
    private const string TargetPrefix = "AmazonEC2ContainerRegistry_V20150921.";
    private const string SigningService = "ecr";

    private readonly ResiliencePipeline _pipeline;

    private async Task<TResponse> SendAsync<TResponse>(string operation, object body, CancellationToken cancellationToken)
    {
        var content = JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), EcrJson.Options);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(OperationKey, operation);
        var attempts = 0;
        try
        {
            return await _pipeline.ExecuteAsync(async ctx =>
            {
                attempts++;
                return await SendOnceAsync<TResponse>(operation, content, ctx.CancellationToken).ConfigureAwait(false);
            }, context).ConfigureAwait(false);
        }
        catch (EcrException e) when (e.IsTransient)
        {
            throw EcrErrors.GaveUp(operation, Endpoint, attempts, e, _masker);
        }
        catch (Exception e) when (IsConnectionFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            throw EcrErrors.GaveUp(operation, Endpoint, attempts, e, _masker);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async Task<TResponse> SendOnceAsync<TResponse>(string operation, byte[] content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ByteArrayContent(content) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", TargetPrefix + operation);
        var keys = await CredentialKeys.GetAsync(_session.Credentials, _masker).ConfigureAwait(false);
        await SigV4RequestSigner.SignAsync(request, keys, _session.Region, SigningService, _options.TimeProvider.GetUtcNow(), cancellationToken)
            .ConfigureAwait(false);

        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw EcrErrors.FromResponse(operation, Endpoint, response, text, _masker);
        try
        {
            return JsonSerializer.Deserialize<TResponse>(text, EcrJson.Options)
                ?? throw new JsonException("The body is empty.");
        }
        catch (JsonException e)
        {
            throw new EcrException("InvalidResponse", e.Message, operation, Endpoint, response.StatusCode,
                _masker.Redact($"ECR {operation} at {Endpoint} answered HTTP {(int)response.StatusCode} with a body that is not the expected JSON: {e.Message}"));
        }
    }

    private static readonly ResiliencePropertyKey<string> OperationKey = new("ecr-operation");

    private ResiliencePipeline BuildPipeline()
    {
        var builder = new ResiliencePipelineBuilder();
        if (_options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<EcrException>(e => e.IsTransient).Handle<Exception>(IsConnectionFailure),
                MaxRetryAttempts = _options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.FirstRetryDelay,
                MaxDelay = _options.MaxRetryDelay,
                OnRetry = args =>
                {
                    var operation = args.Context.Properties.GetValue(OperationKey, "call");
                    var answer = args.Outcome.Exception is EcrException ecr ? $"{ecr.Type} (HTTP {(int?)ecr.StatusCode})" : args.Outcome.Exception?.GetType().Name;
                    _log($"ECR {operation} answered {answer}; retrying in {args.RetryDelay.TotalSeconds:0.0}s (try {args.AttemptNumber + 2} of {_options.MaxAttempts}).");
                    return default;
                },
            });
        }
        builder.AddTimeout(_options.AttemptTimeout);
        return builder.Build();
    }

    // Resets, refused connections and per-try timeouts; a caller's own cancellation is not one of them.
    // A TLS failure answers the same on every try, so it is not one of them.
    private static bool IsConnectionFailure(Exception e) =>
        e is HttpRequestException or TimeoutRejectedException or IOException && !CloudAge.Common.Net.SafeHttp.IsTlsFailure(e);
}
