using System.Collections.Concurrent;
using CloudAge.Common.Secrets;
using CloudAge.Tools.GitOps.Kubernetes;
using k8s;

namespace CloudAge.Tools.GitOps.Tests.Fakes;

/// <summary>A <see cref="KubernetesWaiter"/> wired to the in-process Kubernetes API fake through the EKS-style endpoint path,
/// with fast polls and retries, capturing every line it prints.</summary>
internal sealed class KubernetesHarness : IAsyncDisposable
{
    private KubernetesHarness(FakeCluster cluster)
    {
        Cluster = cluster;
        Token = cluster.Token;
        var token = Token;
        Client = KubernetesClients.FromEndpoint(new ClusterEndpoint(cluster.BaseAddress, null), _ => Task.FromResult(token), Masker);
        Waiter = new KubernetesWaiter(Client, Masker, Output.Enqueue, ArgoHarness.FastRetry);
    }

    public FakeCluster Cluster { get; }
    public string Token { get; }
    public SecretMasker Masker { get; } = new();
    public ConcurrentQueue<string> Output { get; } = new();
    public IKubernetes Client { get; }
    public KubernetesWaiter Waiter { get; }

    public static readonly WaitOptions Fast = new() { Timeout = TimeSpan.FromSeconds(20), PollInterval = TimeSpan.FromMilliseconds(10) };

    public static async Task<KubernetesHarness> StartAsync() =>
        new(await FakeCluster.StartAsync("eks-token-k8s-aws-v1." + Guid.NewGuid().ToString("N")));

    public void AssertTokenNeverShown(Exception? exception = null)
    {
        foreach (var line in Output)
            Assert.DoesNotContain(Token, line, StringComparison.Ordinal);
        if (exception is not null)
            Assert.DoesNotContain(Token, exception.ToString(), StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Cluster.DisposeAsync();
    }
}
