using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CloudAge.Common.IO;
using CloudAge.Tools.Container.Context;
using Docker.DotNet;

namespace CloudAge.Tools.Container.Building;

/// <summary>
/// Which image a build made from exactly which inputs, one small file per build in a folder, so an unchanged build
/// (a re-run of the same commit) reuses its image instead of sending the whole context to the engine again, which the
/// engine would answer from its cache with that same image. The key is a SHA-256 of every input the engine's answer
/// depends on: the context as its tar would hold it (names, modes, modification times and bytes of every file, the
/// Dockerfile with its label line; <see cref="BuildContext.DigestAsync"/>), the Dockerfile's path, the platform, the build arguments and the base image's
/// local ID. Reuse is offered only when every FROM line names the BASE_IMAGE argument and that image is local and of
/// the platform asked for, so the base image is the only outside input and the engine would not pull another; any
/// other FROM (a fixed image, a stage) builds as always. The recorded image must still be in the engine.
/// </summary>
internal static partial class BuildRecords
{
    /// <summary>The key of this build, or null when it cannot be reused safely (another FROM, or no local base image).</summary>
    public static async Task<string?> KeyAsync(IDockerClient docker, ImageBuildRequest request, IReadOnlyDictionary<string, string> arguments,
        string dockerfileSuffix, CancellationToken cancellationToken)
    {
        if (request.BaseImage is not { } baseImage)
            return null;
        var dockerfile = Path.Combine(request.ContextDirectory, request.Dockerfile);
        if (!File.Exists(dockerfile) || !OnlyBaseImage(await File.ReadAllTextAsync(dockerfile, cancellationToken).ConfigureAwait(false)))
            return null;
        // The context's files are read and hashed while the engine is asked about the base image: disk and engine at once.
        using var digestStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var digesting = Task.Run(() => BuildContext.DigestAsync(request.ContextDirectory, request.Dockerfile, dockerfileSuffix, digestStop.Token), digestStop.Token);
        string baseImageId;
        try
        {
            var local = await docker.Images.InspectImageAsync(baseImage, cancellationToken).ConfigureAwait(false);
            // A local base of another platform than the one asked for is not what the engine builds on: it pulls instead.
            if (request.Platform?.Split('/') is { } wanted && (wanted.Length < 2 || wanted[0] != local.Os || wanted[1] != local.Architecture))
                return await Discard(digesting, digestStop).ConfigureAwait(false);
            baseImageId = local.ID;
        }
        catch (DockerImageNotFoundException)
        {
            return await Discard(digesting, digestStop).ConfigureAwait(false); // the engine would pull it: what it gets is not known here
        }
        catch
        {
            await Discard(digesting, digestStop).ConfigureAwait(false);
            throw;
        }

        var context = await digesting.ConfigureAwait(false);
        var inputs = new StringBuilder("cloudage-build-record/1\n")
            .Append("context ").Append(Convert.ToHexStringLower(context)).Append('\n')
            .Append("dockerfile ").Append(request.Dockerfile.Replace('\\', '/')).Append('\n')
            .Append("platform ").Append(request.Platform ?? "").Append('\n')
            .Append("base ").Append(baseImageId).Append('\n');
        foreach (var (name, value) in arguments.OrderBy(a => a.Key, StringComparer.Ordinal))
            inputs.Append("arg ").Append(name).Append('=').Append(value.Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(inputs.ToString())));
    }

    // No key after all: the hash is stopped (between entries and reads) and awaited, so no read outlives the call or
    // fails unobserved. Whatever it failed with is not this call's answer: a file that cannot be read is the tar's to
    // report when the context is sent, and an engine error being thrown stays the error reported.
    private static async Task<string?> Discard(Task<byte[]> digesting, CancellationTokenSource stop)
    {
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await digesting.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a discarded result: every failure of it is dropped on purpose (see above)
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        return null;
    }

    /// <summary>The image recorded for <paramref name="key"/>, or null.</summary>
    public static string? Find(string directory, string key)
    {
        var path = Path.Combine(directory, key);
        return File.Exists(path) && File.ReadAllText(path).Trim() is { } id && id.StartsWith("sha256:", StringComparison.Ordinal) ? id : null;
    }

    public static void Add(string directory, string key, string imageId)
    {
        Directory.CreateDirectory(directory);
        AtomicFile.Write(Path.Combine(directory, key), imageId + "\n");
    }

    /// <summary>
    /// True when the base image is the Dockerfile's only outside input: it has FROM lines, every one is exactly
    /// <c>FROM ${BASE_IMAGE}</c> (or <c>$BASE_IMAGE</c>, optionally <c>AS name</c>, no flags: a <c>--platform</c> would
    /// choose another base than the one inspected), no COPY or ADD takes <c>--from</c> (another image or stage), and no
    /// ADD fetches a URL or a git repository. Anything else is built every time.
    /// </summary>
    internal static bool OnlyBaseImage(string dockerfileText)
    {
        var froms = FromLine().Matches(dockerfileText);
        return froms.Count > 0
            && froms.All(m => ExactBaseFrom().IsMatch(m.Value))
            && !CopyFrom().IsMatch(dockerfileText)
            && !RemoteAdd().IsMatch(dockerfileText);
    }

    [GeneratedRegex(@"^[ \t]*FROM\b.*$", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex FromLine();

    // Instructions are case-insensitive; argument names are not.
    [GeneratedRegex(@"^[ \t]*(?i:FROM)[ \t]+(\$\{BASE_IMAGE\}|\$BASE_IMAGE)([ \t]+(?i:AS)[ \t]+\S+)?[ \t]*\r?$")]
    private static partial Regex ExactBaseFrom();

    [GeneratedRegex(@"^[ \t]*(COPY|ADD)\b[^\n]*--from", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex CopyFrom();

    [GeneratedRegex(@"^[ \t]*ADD\b[^\n]*(://|git@)", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex RemoteAdd();
}
