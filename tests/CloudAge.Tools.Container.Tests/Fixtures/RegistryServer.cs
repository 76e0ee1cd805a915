using System.Net.Sockets;
using CloudAge.Common.Processes;
using CloudAge.Common.Secrets;

namespace CloudAge.Tools.Container.Tests.Fixtures;

/// <summary>
/// A real CNCF distribution registry (Debian's docker-registry) on a free loopback port with htpasswd auth,
/// storing into a temporary directory; stopped and deleted on dispose.
/// </summary>
public sealed class RegistryServer : IAsyncDisposable
{
    public const string User = "pusher";

    private readonly TempDirectory _directory = new();
    private readonly CancellationTokenSource _stop = new();
    private Task<ProcessResult>? _process;

    private RegistryServer(int port) => Port = port;

    /// <summary>A fresh password per server, so a leak of it in any output is unambiguous.</summary>
    public string Password { get; } = "pw-" + Guid.NewGuid().ToString("N");

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public static async Task<RegistryServer> StartAsync()
    {
        var server = new RegistryServer(FreePort.Next());
        await server.StartProcessAsync();
        return server;
    }

    private async Task StartProcessAsync()
    {
        var runner = new ProcessRunner(new SecretMasker(), _ => { });
        var htpasswd = await runner.RunAsync(new ProcessSpec("htpasswd", ["-Bbn", User, Password]) { StreamOutput = false });
        File.WriteAllText(Path.Combine(_directory.Path, "htpasswd"), htpasswd.StandardOutput.Trim() + "\n");
        var config = Path.Combine(_directory.Path, "config.yml");
        File.WriteAllText(config, $"""
            version: 0.1
            log:
              level: error
            storage:
              filesystem:
                rootdirectory: {Path.Combine(_directory.Path, "data")}
            http:
              addr: {Address}
            auth:
              htpasswd:
                realm: cloudage-test
                path: {Path.Combine(_directory.Path, "htpasswd")}
            """);
        _process = runner.RunAsync(new ProcessSpec("docker-registry", ["serve", config]) { StreamOutput = false, ThrowOnFailure = false }, _stop.Token);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (_process.IsCompleted)
                throw new InvalidOperationException("docker-registry exited at start: " + (await _process).StandardError);
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (_process is not null)
                await _process;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
        _directory.Dispose();
    }
}
