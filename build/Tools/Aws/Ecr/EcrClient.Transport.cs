using System.Net.Http.Headers;
using System.Text.Json;
using CloudAge.Tools.Aws.Transport;

namespace CloudAge.Tools.Aws.Ecr;

// The ECR JSON protocol over the shared AWS transport: POST / with X-Amz-Target, a JSON body, a JSON answer.
public sealed partial class EcrClient
{
    private const string TargetPrefix = "AmazonEC2ContainerRegistry_V20150921.";

    private AwsTransport CreateTransport(HttpMessageHandler? handler) =>
        new("ECR", "ecr", _session, _masker, _options,
            e => e is EcrException { IsTransient: true },
            e => e is EcrException ecr ? $"{ecr.Type} (HTTP {(int?)ecr.StatusCode})" : null,
            _log, handler);

    private Task<TResponse> SendAsync<TResponse>(string operation, object body, CancellationToken cancellationToken)
    {
        var content = JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), EcrJson.Options);
        return _transport.CallAsync(operation, () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ByteArrayContent(content) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
                request.Headers.TryAddWithoutValidation("X-Amz-Target", TargetPrefix + operation);
                return request;
            },
            (response, text) => Read<TResponse>(operation, response, text),
            (attempts, last) => EcrErrors.GaveUp(operation, Endpoint, attempts, last, _masker),
            cancellationToken);
    }

    private TResponse Read<TResponse>(string operation, HttpResponseMessage response, string text)
    {
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
                // The reader's own words ("'<' is an invalid start of a value. Path: $ | LineNumber: 0") say nothing to a user:
                // the body's start shows what answered, as EKS's DescribeCluster says it (EksClusterClient.ReadCluster).
                _masker.Redact($"ECR {operation} at {Endpoint} answered HTTP {(int)response.StatusCode} with a body that is not ECR's JSON: {AwsErrorBody.Snippet(text)}. " +
                    "Check that the endpoint is ECR's (the region, any --aws-endpoint override, any HTTPS proxy that answers in its place)."));
        }
    }
}
