using System.Net.Http.Headers;
using System.Text.Json;
using CloudAge.Common.Resilience;
using CloudAge.Tools.Aws.Credentials;
using CloudAge.Tools.Aws.Signing;
using Polly;

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

    private ResiliencePipeline BuildPipeline() =>
        new RetryPolicy
        {
            MaxAttempts = _options.MaxAttempts,
            BaseDelay = _options.FirstRetryDelay,
            MaxDelay = _options.MaxRetryDelay,
            AttemptTimeout = _options.AttemptTimeout,
        }.Build(
            e => e is EcrException { IsTransient: true } || IsConnectionFailure(e),
            attempt =>
            {
                var operation = attempt.Context.Properties.GetValue(OperationKey, "call");
                var answer = attempt.Exception is EcrException ecr ? $"{ecr.Type} (HTTP {(int?)ecr.StatusCode})" : attempt.Exception?.GetType().Name;
                _log($"ECR {operation} answered {answer}; retrying in {attempt.Delay.TotalSeconds:0.0}s (try {attempt.Failed + 1} of {attempt.MaxAttempts}).");
            });

    private static bool IsConnectionFailure(Exception e) => AwsCallFailures.IsConnectionFailure(e);
}
