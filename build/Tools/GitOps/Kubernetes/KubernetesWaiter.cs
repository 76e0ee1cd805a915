using System.Diagnostics;
using CloudAge.Common.Resilience;
using CloudAge.Common.Secrets;
using k8s;
using k8s.Models;

namespace CloudAge.Tools.GitOps.Kubernetes;

/// <summary>How long to wait and how often to look.</summary>
public sealed record WaitOptions
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>The Deployment's rollout completed; <see cref="Images"/> maps each container of its pod template to its image.</summary>
public sealed record RolloutResult(string Namespace, string Deployment, int Replicas, TimeSpan Elapsed)
{
    public IReadOnlyDictionary<string, string> Images { get; init; } = new Dictionary<string, string>();
}

/// <summary>A Service's load balancer address (hostname on AWS, IP elsewhere) and the Service port it serves.</summary>
public sealed record LoadBalancerAddress(string Host, int Port)
{
    public Uri Url => new UriBuilder(Uri.UriSchemeHttp, Host, Port == 80 ? -1 : Port, "/").Uri;
}

/// <summary>Waits for a Deployment rollout (kubectl's rules) and for a Service's load balancer address, printing a line per change.</summary>
public sealed class KubernetesWaiter(IKubernetes client, SecretMasker masker, Action<string> log, RetryPolicy? retry = null)
{
    private readonly KubernetesCalls _calls = new(client, masker, log, retry ?? RetryPipeline.Default);

    /// <summary>The API server's address, which names the cluster in messages.</summary>
    public string Server => _calls.Server;

    public async Task<RolloutResult> WaitForRolloutAsync(string @namespace, string deployment, WaitOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var result = await PollAsync($"Deployment {@namespace}/{deployment}", "finish rolling out", options, async token =>
        {
            var read = await _calls.RunAsync($"read Deployment {@namespace}/{deployment}",
                t => _calls.Client.AppsV1.ReadNamespacedDeploymentAsync(deployment, @namespace, cancellationToken: t), token);
            var state = RolloutRules.Evaluate(read);
            if (state.Failure is not null)
                throw new ClusterException(masker.Redact($"Deployment {@namespace}/{deployment} on {_calls.Server} {state.Failure}"));
            return (state.Line, state.Done ? read : null);
        }, cancellationToken);
        return new RolloutResult(@namespace, deployment, result.Spec?.Replicas ?? 1, clock.Elapsed)
        {
            Images = (result.Spec?.Template?.Spec?.Containers ?? []).Where(c => c.Name is not null && c.Image is not null)
                .ToDictionary(c => c.Name, c => c.Image, StringComparer.Ordinal),
        };
    }

    public Task<LoadBalancerAddress> WaitForLoadBalancerAsync(string @namespace, string service, WaitOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return PollAsync($"Service {@namespace}/{service}", "get a load balancer address", options, async token =>
        {
            var read = await _calls.RunAsync($"read Service {@namespace}/{service}",
                t => _calls.Client.CoreV1.ReadNamespacedServiceAsync(service, @namespace, cancellationToken: t), token);
            if (read.Spec?.Type != "LoadBalancer")
                throw new ClusterException($"Service {@namespace}/{service} is of type {read.Spec?.Type ?? "ClusterIP"} and will never get a load balancer address; make it type LoadBalancer.");
            var ingress = read.Status?.LoadBalancer?.Ingress?.FirstOrDefault(i => !string.IsNullOrEmpty(i.Hostname) || !string.IsNullOrEmpty(i.Ip));
            if (ingress is null)
                return ($"Waiting for Service \"{service}\" to get a load balancer address...", (LoadBalancerAddress?)null);
            var address = new LoadBalancerAddress(string.IsNullOrEmpty(ingress.Hostname) ? ingress.Ip : ingress.Hostname, read.Spec.Ports?.FirstOrDefault()?.Port ?? 80);
            return ($"Service \"{service}\" has load balancer address {address.Url}", address);
        }, cancellationToken);
    }

    /// <summary>Reads until <paramref name="read"/> yields a value; logs its line only when it differs from the last one.</summary>
    private async Task<T> PollAsync<T>(string subject, string goal, WaitOptions options,
        Func<CancellationToken, Task<(string Line, T? Value)>> read, CancellationToken cancellationToken) where T : class
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Timeout);
        string? last = null;
        try
        {
            while (true)
            {
                var (line, value) = await read(deadline.Token);
                if (line != last)
                    log(masker.Redact(line));
                last = line;
                if (value is not null)
                    return value;
                await Task.Delay(options.PollInterval, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ClusterException($"{subject} did not {goal} within {options.Timeout.TotalSeconds:0} s (last: {last ?? "no answer"}).");
        }
    }
}
