using System.Net;
using System.Text.Json;
using CloudAge.Common.Resilience;
using CloudAge.Common.Secrets;
using CloudAge.Common.Text;
using k8s;
using k8s.Autorest;
using Polly;

namespace CloudAge.Tools.GitOps.Kubernetes;

/// <summary>Runs one Kubernetes API call with a timeout and bounded retries, and turns refusals into clear errors.</summary>
internal sealed class KubernetesCalls
{
    private readonly SecretMasker _masker;
    private readonly ResiliencePipeline _pipeline;

    public KubernetesCalls(IKubernetes client, SecretMasker masker, Action<string> log, RetryPolicy retry)
    {
        ArgumentNullException.ThrowIfNull(masker);
        Client = client;
        _masker = masker;
        Server = client.BaseUri?.ToString() ?? "?";
        _pipeline = RetryPipeline.Create(retry, IsTransient, line => log(masker.Redact(line)), $"Kubernetes API at {Server}");
    }

    public IKubernetes Client { get; }

    public string Server { get; }

    public async Task<T> RunAsync<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(async token => await call(token), cancellationToken);
        }
        catch (HttpOperationException e) when (!IsTransient(e))
        {
            var status = e.Response.StatusCode;
            var message = _masker.Redact($"Could not {what}: the Kubernetes API at {Server} answered {(int)status} {status} ({StatusMessage(e.Response.Content)}). {Advice(status)}".TrimEnd());
            throw status switch
            {
                HttpStatusCode.Conflict => new ClusterConflictException(message),
                HttpStatusCode.Forbidden => new ClusterForbiddenException(message),
                _ => new ClusterException(message),
            };
        }
        catch (Exception e) when (RetryPipeline.IsRetryable(e, IsTransient))
        {
            var answer = e is HttpOperationException h ? $"{(int)h.Response.StatusCode} {StatusMessage(h.Response.Content)}" : RetryPipeline.Describe(e);
            throw new ClusterException(_masker.Redact(
                $"Could not {what}: the Kubernetes API at {Server} kept failing ({answer}). Check that the cluster endpoint is right and reachable from this machine " +
                "(an EKS endpoint that is private, or public only to some CIDRs, does not answer from outside)."));
        }
    }

    private static bool IsTransient(Exception e) =>
        e is HttpOperationException h && ((int)h.Response.StatusCode >= 500 || h.Response.StatusCode == HttpStatusCode.TooManyRequests);

    private static string Advice(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => "The credentials were rejected: refresh the kubeconfig's credentials, or for EKS check that the AWS " +
            "identity has an access entry (or aws-auth mapping) in the cluster (`aws eks list-access-entries --cluster-name <cluster>`) " +
            "and that this machine's clock is right (an EKS token carries the time it was made).",
        HttpStatusCode.Forbidden => "The identity is authenticated, but Kubernetes RBAC does not allow it this call.",
        HttpStatusCode.NotFound => "Check the name and the namespace.",
        _ => "",
    };

    // The API server explains itself in a Status object: {"kind":"Status","message":...,"reason":...}. Whatever answered
    // wrote that text (or the whole body, when it is not JSON), so it is quoted on one bounded line: a newline in it would
    // otherwise start a line of our own log, and a long one would flood it.
    private static string StatusMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
            return "no body";
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("message", out var m)
                && m.ValueKind == JsonValueKind.String)
                return PeerText.OneLine(m.GetString(), 600);
        }
        catch (JsonException)
        {
        }
        return PeerText.OneLine(body, 600);
    }
}
