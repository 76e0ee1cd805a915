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

    /// <summary>How long the engine's ping may take before the engine is reported as not answering.</summary>
    public static TimeSpan PingTimeout { get; } = TimeSpan.FromSeconds(10);

    public static IDockerClient Connect(Uri endpoint) =>
        new DockerClientBuilder().WithEndpoint(endpoint).Build();

    /// <summary>Pings the engine and fails with what to do when none answers.</summary>
    public static async Task EnsureRunningAsync(IDockerClient docker, Uri endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(docker);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PingTimeout);
        try
        {
            await docker.System.PingAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnreachable(e) || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw Unreachable(endpoint, e);
        }
        catch (DockerApiException e)
        {
            // Something answers there, but not as an engine does (GET /_ping is "OK" from every engine version).
            throw new ContainerException($"What answers at {endpoint} is not a working Docker engine: its ping (GET /_ping) got HTTP {(int)e.StatusCode} " +
                $"'{CloudAge.Common.Text.PeerText.OneLine(e.ResponseBody ?? "", 200)}'. Point DOCKER_HOST at a Docker engine (for example unix:///var/run/docker.sock), or restart the engine.", e);
        }
    }

    /// <summary>
    /// The first call of a step made beside the ping instead of after it: the call's round trip (and its first-call
    /// cost in a fresh process) no longer waits for the ping's. An engine that does not answer is still reported by
    /// the ping's sentence: its failure wins, and the call is then stopped and awaited, so nothing outlives this;
    /// only a call that has already succeeded (the engine did answer it) is returned despite the ping.
    /// </summary>
    public static async Task<T> EnsureRunningBesideAsync<T>(IDockerClient docker, Uri endpoint, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var calling = call(stop.Token);
        try
        {
            await EnsureRunningAsync(docker, endpoint, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // the engine answered the call itself: the ping's failure (a late timeout) tells nothing more
        catch (Exception) when (calling.IsCompletedSuccessfully)
#pragma warning restore CA1031
        {
        }
        catch
        {
            // The ping's failure is the one reported.
            await SideCall.DiscardAsync(calling, stop).ConfigureAwait(false);
            throw;
        }
        return await calling.ConfigureAwait(false);
    }

    internal static bool IsUnreachable(Exception e) =>
        e is HttpRequestException or SocketException or IOException || e.InnerException is { } inner && IsUnreachable(inner);

    internal static ContainerException Unreachable(Uri endpoint, Exception e)
    {
        // A unix socket's two common failures, which .NET words as "Cannot assign requested address" (ENOENT) and
        // "Permission denied" (EACCES): say them as what they are.
        if (endpoint.Scheme == "unix" && !File.Exists(endpoint.LocalPath) && !Directory.Exists(endpoint.LocalPath))
            return new($"No Docker engine answers at {endpoint}: there is no socket at {endpoint.LocalPath}. Start the engine with " +
                "'sudo systemctl start docker' (or run 'dockerd' as root), or point DOCKER_HOST at the socket of a running one " +
                "('docker context inspect' shows it, for example unix:///run/user/1000/docker.sock for rootless Docker).", e);
        if (endpoint.Scheme == "unix" && e.GetBaseException() is SocketException { SocketErrorCode: SocketError.AccessDenied })
            return new($"The Docker engine's socket {endpoint.LocalPath} refuses this user (permission denied). Add the user to the " +
                "'docker' group ('sudo usermod -aG docker $USER', then log in again), or point DOCKER_HOST at a socket it may use.", e);
        return new($"No Docker engine answers at {endpoint} ({e.GetBaseException().Message}). Start one with 'sudo systemctl start docker' " +
            "(or run 'dockerd' as root), or point DOCKER_HOST at a running engine.", e);
    }
}
