using System.Diagnostics;
using CloudAge.Common.Resilience;
using CloudAge.Common.Secrets;
using CloudAge.Common.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace CloudAge.Tools.GitOps.Kubernetes;

/// <summary>How long to wait and how often to look.</summary>
public sealed record WaitOptions
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often an unchanged state is printed again, so a long wait shows it is alive.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(30);
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
        var result = await PollAsync($"Deployment {@namespace}/{deployment} on {_calls.Server}", "finish rolling out", options, async token =>
        {
            var read = await ReadAsync($"read Deployment {@namespace}/{deployment}", @namespace,
                t => _calls.Client.AppsV1.ReadNamespacedDeploymentAsync(deployment, @namespace, cancellationToken: t), token);
            var state = RolloutRules.Evaluate(read);
            if (state.Failure is not null)
                throw new ClusterException(masker.Redact($"Deployment {@namespace}/{deployment} on {_calls.Server} {state.Failure}"));
            return (state.Line, state.Done ? read : null);
        }, $"see why with `kubectl -n {@namespace} describe deployment {deployment}` and `kubectl -n {@namespace} get pods`, or allow more time", cancellationToken);
        return new RolloutResult(@namespace, deployment, result.Spec?.Replicas ?? 1, clock.Elapsed)
        {
            Images = (result.Spec?.Template?.Spec?.Containers ?? []).Where(c => c.Name is not null && c.Image is not null)
                .ToDictionary(c => c.Name, c => c.Image, StringComparer.Ordinal),
        };
    }

    public Task<LoadBalancerAddress> WaitForLoadBalancerAsync(string @namespace, string service, WaitOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return PollAsync($"Service {@namespace}/{service} on {_calls.Server}", "get a load balancer address", options, async token =>
        {
            var read = await ReadAsync($"read Service {@namespace}/{service}", @namespace,
                t => _calls.Client.CoreV1.ReadNamespacedServiceAsync(service, @namespace, cancellationToken: t), token);
            if (read.Spec?.Type != "LoadBalancer")
                throw new ClusterException($"Service {@namespace}/{service} on {_calls.Server} is of type {read.Spec?.Type ?? "ClusterIP"} and will never get a load balancer address; make it type LoadBalancer.");
            var ingress = read.Status?.LoadBalancer?.Ingress?.FirstOrDefault(i => !string.IsNullOrEmpty(i.Hostname) || !string.IsNullOrEmpty(i.Ip));
            if (ingress is null)
            {
                var waiting = $"Waiting for Service \"{service}\" to get a load balancer address...";
                return (await LatestWarningAsync(@namespace, read, token) is { } warning ? $"{waiting} ({warning})" : waiting, (LoadBalancerAddress?)null);
            }
            var address = new LoadBalancerAddress(string.IsNullOrEmpty(ingress.Hostname) ? ingress.Ip : ingress.Hostname, read.Spec.Ports?.FirstOrDefault()?.Port ?? 80);
            return ($"Service \"{service}\" has load balancer address {address.Url}", address);
        }, $"the load balancer controller says why in the Service's events (`kubectl -n {@namespace} describe service {service}`); " +
            "with the AWS Load Balancer Controller, check that it runs (`kubectl -n kube-system get deployment aws-load-balancer-controller`) and its logs", cancellationToken);
    }

    private async Task<T> ReadAsync<T>(string what, string @namespace, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await _calls.RunAsync(what, call, cancellationToken);
        }
        catch (ClusterForbiddenException e)
        {
            // The reads GetUrl makes are what EKS's AmazonEKSViewPolicy grants (docs/github-secrets.md sets it up so).
            throw new ClusterForbiddenException($"{e.Message} GetUrl needs get on deployments and services and list on events in namespace '{@namespace}' " +
                "(on EKS: the access policy AmazonEKSViewPolicy scoped to it, see docs/github-secrets.md).");
        }
    }

    // A controller that cannot provision the load balancer says why only in Warning events on the Service: the AWS Load
    // Balancer Controller's FailedBuildModel/FailedDeployModel (aws-load-balancer-controller pkg/service/service_controller.go),
    // the in-tree one's SyncLoadBalancerFailed (k8s.io/cloud-provider controllers/service/controller.go). Only this Service's
    // events (its uid: a deleted namesake's events live on for an hour), through the field selectors the API server serves
    // for events (pkg/registry/core/event/strategy.go). A hint only: no retries, and a refusal (no RBAC for events) is silence.
    private async Task<string?> LatestWarningAsync(string @namespace, V1Service service, CancellationToken cancellationToken)
    {
        var selector = $"involvedObject.kind=Service,involvedObject.name={service.Metadata?.Name},type=Warning" +
            (service.Metadata?.Uid is { Length: > 0 } uid ? $",involvedObject.uid={uid}" : "");
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            var events = await _calls.Client.CoreV1.ListNamespacedEventAsync(@namespace, fieldSelector: selector, cancellationToken: attempt.Token);
            var latest = events.Items.MaxBy(e => e.LastTimestamp ?? e.EventTime ?? e.FirstTimestamp ?? DateTime.MinValue);
            return latest is null ? null : $"{latest.Reason}: {PeerText.OneLine(latest.Message, 400)}";
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpOperationException or HttpRequestException or OperationCanceledException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>Reads until <paramref name="read"/> yields a value; logs its line when it differs from the last one, and
    /// again every <see cref="WaitOptions.ProgressInterval"/> while it does not, so a long wait shows it is alive.</summary>
    private async Task<T> PollAsync<T>(string subject, string goal, WaitOptions options,
        Func<CancellationToken, Task<(string Line, T? Value)>> read, string advice, CancellationToken cancellationToken) where T : class
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Timeout);
        var progress = new WaitProgress(line => log(masker.Redact(line)), options.ProgressInterval, options.Timeout, "still waiting");
        string? last = null;
        try
        {
            while (true)
            {
                var (line, value) = await read(deadline.Token);
                progress.Report(line);
                last = line;
                if (value is not null)
                    return value;
                await Task.Delay(options.PollInterval, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ClusterException(masker.Redact($"{subject} did not {goal} within {options.Timeout.TotalSeconds:0} s (last: {last ?? "no answer"}); {advice}."));
        }
    }
}
