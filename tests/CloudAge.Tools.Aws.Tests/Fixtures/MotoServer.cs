using System.Net;
using System.Net.Sockets;
using CloudAge.Common.Processes;
using CloudAge.Common.Secrets;
using CloudAge.Tools.Aws.Credentials;

namespace CloudAge.Tools.Aws.Tests.Fixtures;

/// <summary>
/// The real moto server (the ECR and STS API emulator) on a free loopback port, started on first use and stopped
/// with the collection. moto routes on the SigV4 scope's service name and does not check signatures unless
/// started with INITIAL_NO_AUTH_ACTION_COUNT=0 (see <see cref="StartAsync"/>).
/// </summary>
public sealed class MotoServer : IAsyncLifetime, IDisposable
{
    public const string AccountId = "123456789012";
    public const string Region = "us-east-1";

    private readonly List<(CancellationTokenSource Stop, Task Run)> _processes = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Uri? _endpoint;

    /// <summary>Test credentials; moto accepts any key when it does not check authentication.</summary>
    public static AwsSession Session(string secret = "moto-secret-key-d41d8cd98f00", string? token = null) =>
        AwsSession.FromKeys("AKIAMOTOTESTKEY00001", secret, token, Region);

    public async Task<Uri> EndpointAsync()
    {
        await _gate.WaitAsync();
        try
        {
            return _endpoint ??= await StartAsync(new Dictionary<string, string?>());
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Clears every repository and image so each test starts from nothing.</summary>
    public async Task<Uri> ResetAsync()
    {
        var endpoint = await EndpointAsync();
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(endpoint, "/moto-api/reset"), null);
        response.EnsureSuccessStatusCode();
        return endpoint;
    }

    /// <summary>Starts another moto with its own environment (INITIAL_NO_AUTH_ACTION_COUNT=0 makes it check credentials).</summary>
    public async Task<Uri> StartAsync(IReadOnlyDictionary<string, string?> environment)
    {
        var port = FreePort.Next();
        var stop = new CancellationTokenSource();
        var runner = new ProcessRunner(new SecretMasker(), _ => { });
        var spec = new ProcessSpec("python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", port.ToString()])
        {
            Environment = environment,
            ThrowOnFailure = false,
            StreamOutput = false,
        };
        var run = Task.Run(() => runner.RunAsync(spec, stop.Token));
        _processes.Add((stop, run));
        var endpoint = new Uri($"http://127.0.0.1:{port}/");
        await WaitUntilAnsweringAsync(endpoint, run);
        return endpoint;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var (stop, run) in _processes)
        {
            await stop.CancelAsync();
            try
            {
                await run;
            }
            catch (OperationCanceledException)
            {
                // Cancelling is how the server is stopped.
            }
            stop.Dispose();
        }
    }

    public void Dispose() => _gate.Dispose();

    private static async Task WaitUntilAnsweringAsync(Uri endpoint, Task<ProcessResult> run)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        // Two shared cores and a Python import of every moto backend: allow a generous start.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (run.IsCompleted)
                throw new InvalidOperationException($"moto exited before answering on {endpoint}: {(await run).StandardError}");
            try
            {
                using var response = await http.GetAsync(new Uri(endpoint, "/moto-api/data.json"));
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Still importing.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"moto did not answer on {endpoint} within 90 s.");
    }
}

[CollectionDefinition(Name)]
public sealed class MotoServerGroup : ICollectionFixture<MotoServer>
{
    public const string Name = "moto";
}
