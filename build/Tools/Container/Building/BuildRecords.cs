using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CloudAge.Common.IO;
using CloudAge.Tools.Container.Context;
using CloudAge.Tools.Container.Oci;
using Docker.DotNet;

namespace CloudAge.Tools.Container.Building;

/// <summary>
/// Which image a build made from exactly which inputs, one small file per build in a folder, so an unchanged build
/// (a re-run of the same commit) reuses its image instead of sending the whole context to the engine again, which the
/// engine would answer from its cache with that same image. The key is a SHA-256 of every input the engine's answer
/// depends on: the context as its tar holds it (names, modes, modification times and bytes of every file, the
/// Dockerfile with its label line; <see cref="ContextDigest"/>), the Dockerfile's path, the platform, the build
/// arguments and the base image's local ID. Reuse is offered only when every FROM line names the BASE_IMAGE argument
/// and that image is local and of the platform asked for, so the base image is the only outside input and the engine
/// would not pull another; any other FROM (a fixed image, a stage) builds as always. The recorded image must still be
/// in the engine.
/// <para>
/// Records are filed in groups: a folder per build arguments, label line, Dockerfile path and platform (every input
/// but the files and the base image's ID). A build whose group has no folder (a commit or version not built here
/// before) cannot match any record, so nothing is read or asked before it: the base image is asked about once the
/// context's tar is written, while the engine runs the steps, and the build is recorded afterwards under the key of what the engine was sent
/// (<see cref="ContextTar.SentDigest"/>) when every FROM step of the build's log names that image
/// (<see cref="BaseSteps"/>). The folder keeps the <see cref="GroupsKept"/> most recently used groups.
/// </para>
/// </summary>
internal static partial class BuildRecords
{
    /// <summary>
    /// The build's group, and whether it has records a key could match (never for a --no-cache build, which does not
    /// reuse); null when the build cannot be recorded (a FROM other than the base image argument). Reads no context
    /// and asks the engine nothing.
    /// </summary>
    public static (string Group, bool HasRecords)? GroupOf(ImageBuildRequest request, IReadOnlyDictionary<string, string> arguments,
        string dockerfileSuffix, string directory)
    {
        if (!MayReuse(request))
            return null;
        var group = Group(request, arguments, dockerfileSuffix);
        return (group, !request.NoCache && Directory.Exists(Path.Combine(directory, group)));
    }

    /// <summary>The key of this build, or null when it cannot be reused safely (another FROM, or no local base image).</summary>
    public static async Task<(string Key, string BaseImageId)?> KeyAsync(IDockerClient docker, ImageBuildRequest request, IReadOnlyDictionary<string, string> arguments,
        string dockerfileSuffix, CancellationToken cancellationToken)
    {
        if (!MayReuse(request))
            return null;
        // The context's files are read and hashed while the engine is asked about the base image: disk and engine at once.
        using var digestStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var digesting = Task.Run(() => BuildContext.DigestAsync(request.ContextDirectory, request.Dockerfile, dockerfileSuffix, digestStop.Token), digestStop.Token);
        // No key after all: the hash is stopped and awaited (SideCall), so no read outlives the call or fails unobserved;
        // a file that cannot be read is the tar's to report when the context is sent, and an engine error stays the one reported.
        string? baseImageId;
        try
        {
            baseImageId = await BaseImageIdAsync(docker, request, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await SideCall.DiscardAsync(digesting, digestStop).ConfigureAwait(false);
            throw;
        }
        if (baseImageId is null)
        {
            await SideCall.DiscardAsync(digesting, digestStop).ConfigureAwait(false);
            return null;
        }
        return (Compose(request, arguments, await digesting.ConfigureAwait(false), baseImageId), baseImageId);
    }

    /// <summary>
    /// The key to record the build the engine just ran under: of the context it was sent (<see cref="ContextTar.SentDigest"/>,
    /// the bytes as the tar carried them, not a second read of the files) and of the base image asked about, which
    /// must be the image every FROM step of the build's log names (<paramref name="builtOn"/>): a base tag moved
    /// between the engine's look-up and ours gives another ID there, and is not recorded. (A base image with ONBUILD
    /// triggers is never recorded: the ID logged after its FROM step is the image after the triggers.)
    /// </summary>
    public static string? KeyOfSent(ImageBuildRequest request, IReadOnlyDictionary<string, string> arguments, string baseImageId,
        byte[] sentDigest, BaseSteps builtOn)
    {
        ArgumentNullException.ThrowIfNull(baseImageId);
        ArgumentNullException.ThrowIfNull(builtOn);
        var hex = baseImageId.StartsWith("sha256:", StringComparison.Ordinal) ? baseImageId["sha256:".Length..] : baseImageId;
        return builtOn.Complete && builtOn.Ids.All(id => hex.StartsWith(id, StringComparison.Ordinal))
            ? Compose(request, arguments, sentDigest, baseImageId)
            : null;
    }

    private static bool MayReuse(ImageBuildRequest request)
    {
        if (request.BaseImage is null)
            return false;
        var dockerfile = Path.Combine(request.ContextDirectory, request.Dockerfile);
        return File.Exists(dockerfile) && OnlyBaseImage(File.ReadAllText(dockerfile));
    }

    // The local base image's ID, or null when the engine would not build on it: absent (it would pull), or of another
    // platform than the one asked for (it pulls instead).
    public static async Task<string?> BaseImageIdAsync(IDockerClient docker, ImageBuildRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var local = await docker.Images.InspectImageAsync(request.BaseImage!, cancellationToken).ConfigureAwait(false);
            if (request.Platform?.Split('/') is { } wanted && (wanted.Length < 2 || wanted[0] != local.Os || wanted[1] != local.Architecture))
                return null;
            return local.ID;
        }
        catch (DockerImageNotFoundException)
        {
            return null;
        }
    }

    private static string Compose(ImageBuildRequest request, IReadOnlyDictionary<string, string> arguments, byte[] context, string baseImageId) =>
        Hash(Inputs(request, arguments).Insert(0, "context " + Convert.ToHexStringLower(context) + "\n").Append("base ").Append(baseImageId).Append('\n'));

    // Every input of the key but the context's files and the base image's ID; the label line is in the key through
    // the context's Dockerfile.
    private static string Group(ImageBuildRequest request, IReadOnlyDictionary<string, string> arguments, string dockerfileSuffix) =>
        Hash(Inputs(request, arguments).Append("suffix ").Append(dockerfileSuffix.Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n'));

    private static StringBuilder Inputs(ImageBuildRequest request, IReadOnlyDictionary<string, string> arguments)
    {
        var inputs = new StringBuilder()
            .Append("dockerfile ").Append(request.Dockerfile.Replace('\\', '/')).Append('\n')
            .Append("platform ").Append(request.Platform ?? "").Append('\n');
        foreach (var (name, value) in arguments.OrderBy(a => a.Key, StringComparer.Ordinal))
            inputs.Append("arg ").Append(name).Append('=').Append(value.Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
        return inputs;
    }

    private static string Hash(StringBuilder inputs) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(inputs.Insert(0, "cloudage-build-record/2\n").ToString())));

    /// <summary>
    /// How many groups the folder keeps: the newest by when a build was last recorded or reused in them. A group is a
    /// commit and version, so an older one seldom matches again.
    /// </summary>
    public const int GroupsKept = 100;

    /// <summary>The image recorded for <paramref name="key"/> in <paramref name="group"/>, or null; a group found is marked as used now.</summary>
    public static string? Find(string directory, string group, string key)
    {
        string id;
        try
        {
            var path = Path.Combine(directory, group, key);
            if (!File.Exists(path))
                return null;
            id = File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // pruned by another build meanwhile, or unreadable: built as if never recorded
        }
        if (!id.StartsWith("sha256:", StringComparison.Ordinal))
            return null;
        CacheFolder.Touch(Path.Combine(directory, group));
        return id;
    }

    /// <summary>
    /// Records the image a build made. A new group makes the folder drop all but its <paramref name="groupsKept"/>
    /// most recently used groups (entries named as groups and keys are: 64 hex digits; nothing else in the folder is
    /// touched). Throws what the file system throws; the caller decides (a record only spares a later build).
    /// </summary>
    public static void Add(string directory, string group, string key, string imageId, int groupsKept = GroupsKept)
    {
        var folder = Path.Combine(directory, group);
        var created = !Directory.Exists(folder);
        AtomicFile.Write(Path.Combine(folder, key), imageId + "\n");
        if (created)
            CacheFolder.KeepNewest(directory, groupsKept, OciDescriptor.IsSha256Hex); // groups and keys are SHA-256s (the first version filed keys flat)
    }

    /// <summary>
    /// The images a build's FROM steps started from, as the classic builder logs them: <c>Step 2/4 : FROM ${BASE_IMAGE}</c>
    /// and then <c> ---&gt; 9300b6c53788</c>, the image's ID cut to 12 hex digits (moby builder/dockerfile/builder.go,
    /// dispatchDockerfileWithCancellation: <c>stringid.TruncateID(state.imageID)</c> after each step). Fed every line.
    /// </summary>
    public sealed partial class BaseSteps
    {
        private readonly List<string> _ids = [];
        private int _fromSteps;
        private bool _afterFrom;

        public IReadOnlyList<string> Ids => _ids;

        /// <summary>True when the log had FROM steps and each was followed by its image's ID (none cut short by another step line).</summary>
        public bool Complete => _fromSteps > 0 && _ids.Count == _fromSteps;

        public void Line(string line)
        {
            ArgumentNullException.ThrowIfNull(line);
            if (StepLine().IsMatch(line))
            {
                _afterFrom = FromStep().IsMatch(line);
                if (_afterFrom)
                    _fromSteps++;
            }
            else if (_afterFrom && StepResult().Match(line) is { Success: true } result)
            {
                _ids.Add(result.Groups[1].Value);
                _afterFrom = false;
            }
        }

        /// <summary>A step line of the classic builder's log (<c>Step 2/4 : ...</c>); DockerBuilder names a failed build's step by it.</summary>
        [GeneratedRegex(@"^Step \d+/\d+ :")]
        internal static partial Regex StepLine();

        [GeneratedRegex(@"^Step \d+/\d+ : (?i:FROM)\b")]
        private static partial Regex FromStep();

        [GeneratedRegex(@"^ ---> ([0-9a-f]{12})$")]
        private static partial Regex StepResult();
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
