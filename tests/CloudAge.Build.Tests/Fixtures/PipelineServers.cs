using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CloudAge.Testing;

namespace CloudAge.Build.Tests.Fixtures;

/// <summary>
/// The real servers PushEcr talks to, on loopback: moto as the ECR API and the CNCF registry with htpasswd auth
/// for the user and password that moto's GetAuthorizationToken hands out (AWS / "&lt;account&gt;-auth-token").
/// </summary>
public sealed class PipelineServers : IDisposable
{
    public const string EcrPassword = "123456789012-auth-token";
    private readonly List<Process> _processes = [];
    private readonly string _directory = Directory.CreateTempSubdirectory("cloudage-pipeline-").FullName;

    public PipelineServers()
    {
        if (Prerequisites.Missing(Needs.Docker | Needs.Registry | Needs.Htpasswd | Needs.Moto).Count > 0)
            return;
        MotoPort = FreePort.Next();
        Start("python3", $"-m moto.server -H 127.0.0.1 -p {MotoPort}");
        RegistryPort = FreePort.Next();
        var (_, htpasswd) = ProcessHelper.Run("htpasswd", $"-Bbn AWS {EcrPassword}", _directory);
        File.WriteAllText(Path.Combine(_directory, "htpasswd"), htpasswd.Trim() + "\n");
        File.WriteAllText(Path.Combine(_directory, "config.yml"), $"""
            version: 0.1
            storage:
              filesystem:
                rootdirectory: {Path.Combine(_directory, "data")}
            http:
              addr: 127.0.0.1:{RegistryPort}
            auth:
              htpasswd:
                realm: cloudage-tests
                path: {Path.Combine(_directory, "htpasswd")}
            """);
        Start("docker-registry", $"serve {Path.Combine(_directory, "config.yml")}");
        WaitFor(MotoPort);
        WaitFor(RegistryPort);
    }

    public int MotoPort { get; }
    public int RegistryPort { get; }

    private void Start(string program, string arguments)
    {
        var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
    }

    private static void WaitFor(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(200);
            }
        }
        throw new TimeoutException($"Nothing listened on 127.0.0.1:{port} within 60 s.");
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            process.Dispose();
        }
        Directory.Delete(_directory, recursive: true);
    }
}
