using System.Collections.Concurrent;
using CloudAge.Common.Resilience;
using CloudAge.Common.Secrets;
using CloudAge.Tools.GitOps.ArgoCd;
using CloudAge.Tools.GitOps.Kubernetes;

namespace CloudAge.Tools.GitOps.Tests.Fakes;

public enum ArgoTransport
{
    Rest,
    Kubernetes,
}

/// <summary>An <see cref="ArgoSyncer"/> wired to the in-process <see cref="FakeCluster"/> over either transport, with fast
/// polls and retries, capturing every line it prints.</summary>
internal sealed class ArgoHarness : IAsyncDisposable
{
    public const string Revision = "4f2c9e1a7b3d5f6e8a9b0c1d2e3f4a5b6c7d8e9f";

    public static readonly RetryPolicy FastRetry = new() { MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(10), AttemptTimeout = TimeSpan.FromSeconds(5) };

    private ArgoHarness(FakeCluster cluster, ArgoTransport transport)
    {
        Cluster = cluster;
        // Captured now: a test may change what the server accepts, not what the client sends.
        var token = cluster.Token;
        Token = token;
        Api = transport == ArgoTransport.Rest
            ? new ArgoRestApi(new ArgoServerOptions(cluster.BaseAddress.ToString(), token) { Retry = FastRetry }, Masker, Output.Enqueue)
            : new ArgoKubernetesApi(KubernetesClients.FromEndpoint(new ClusterEndpoint(cluster.BaseAddress, null), _ => Task.FromResult(token), Masker),
                Masker, Output.Enqueue, retry: FastRetry);
        Syncer = new ArgoSyncer(Api, Output.Enqueue);
    }

    public FakeCluster Cluster { get; }
    public SecretMasker Masker { get; } = new();
    public ConcurrentQueue<string> Output { get; } = new();
    public IArgoApplicationApi Api { get; }
    public ArgoSyncer Syncer { get; }
    public FakeApplication App => Cluster.App;
    /// <summary>The token the client sends.</summary>
    public string Token { get; }

    public static async Task<ArgoHarness> StartAsync(ArgoTransport transport) =>
        new(await FakeCluster.StartAsync("argo-token-" + Guid.NewGuid().ToString("N")), transport);

    public static ArgoSyncRequest Request(TimeSpan? timeout = null) =>
        new("cloudage", Revision)
        {
            Timeout = timeout ?? TimeSpan.FromSeconds(20),
            PollInterval = TimeSpan.FromMilliseconds(10),
            AutoSyncGrace = TimeSpan.FromSeconds(3),
            RefreshInterval = TimeSpan.FromMilliseconds(200),
        };

    /// <summary>The lines the syncer printed that report an application state (one per change).</summary>
    public IReadOnlyList<string> StateLines() => Output.Where(l => l.StartsWith("Argo CD application 'cloudage': sync ", StringComparison.Ordinal)).ToList();

    public void AssertTokenNeverShown(Exception? exception = null)
    {
        foreach (var line in Output)
            Assert.DoesNotContain(Token, line, StringComparison.Ordinal);
        if (exception is not null)
            Assert.DoesNotContain(Token, exception.ToString(), StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        (Api as IDisposable)?.Dispose();
        await Cluster.DisposeAsync();
    }
}
