using System.Net.Sockets;
using Docker.DotNet;

namespace CloudAge.Tools.Container.Building;

/// <summary>
/// Connects to a Docker engine with Docker.DotNet.Enhanced, the maintained fork of Docker.DotNet: it speaks API 1.41
/// (the Debian engine 20.10 here) and exposes the builder and push streams used below.
/// </summary>
public static class DockerEngine
{
    /// <summary>The engine's default address; callers pass DOCKER_HOST instead when it is set.</summary>
    public static Uri DefaultEndpoint { get; } = new("unix:///var/run/docker.sock");

    public static IDockerClient Connect(Uri endpoint) =>
        new DockerClientBuilder().WithEndpoint(endpoint).Build();

    /// <summary>Pings the engine and fails with what to do when none answers.</summary>
    public static async Task EnsureRunningAsync(IDockerClient docker, Uri endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(docker);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            await docker.System.PingAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnreachable(e) || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw Unreachable(endpoint, e);
        }
    }

    internal static bool IsUnreachable(Exception e) =>
        e is HttpRequestException or SocketException or IOException || e.InnerException is { } inner && IsUnreachable(inner);

    internal static ContainerException Unreachable(Uri endpoint, Exception e) =>
        new($"No Docker engine answers at {endpoint} ({e.GetBaseException().Message}). Start one with 'sudo systemctl start docker' " +
            "(or run 'dockerd' as root), or point DOCKER_HOST at a running engine.", e);
}
