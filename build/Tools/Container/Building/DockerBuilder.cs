using System.Text;
using CloudAge.Tools.Container.Context;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace CloudAge.Tools.Container.Building;

/// <summary>Builds an image through the engine's build API, streaming its log line by line.</summary>
public sealed class DockerBuilder(IDockerClient docker, Uri endpoint, Action<string> log)
{
    public async Task<ImageBuildResult> BuildAsync(ImageBuildRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.References.Count == 0)
            throw new ArgumentException("An image build needs at least one reference to tag the image with.", nameof(request));
        var labels = LabelInstruction(request.Metadata);
        var arguments = BuildArguments(request);
        var group = request.RecordDirectory is { } records ? BuildRecords.GroupOf(request, arguments, labels, records) : null;
        string? baseImageId = null;
        var pinged = false;
        if (group is { HasRecords: true })
        {
            // A key could match a record: the context is hashed, and the base image asked about, beside the ping.
            var keyed = await DockerEngine.EnsureRunningBesideAsync(docker, endpoint,
                token => BuildRecords.KeyAsync(docker, request, arguments, labels, token), cancellationToken).ConfigureAwait(false);
            pinged = true;
            if (keyed is { } found && BuildRecords.Find(request.RecordDirectory!, group.Value.Group, found.Key) is { } recorded
                && await ReuseAsync(recorded, request.References, cancellationToken).ConfigureAwait(false))
            {
                log($"Reused {recorded} as {string.Join(", ", request.References)}: built before from this context, Dockerfile, arguments and base image.");
                return new ImageBuildResult(recorded, request.References);
            }
            baseImageId = keyed?.BaseImageId;
            if (keyed is null)
                group = null; // no local base image of this platform: the engine pulls one, and the build is not recorded
        }

        // Nothing waits before the build starts: the context streams into its pipe as the engine is pinged (unless the
        // records step pinged it). A build that may be recorded asks about its base image once the context's tar is
        // written (its last MiB on its way to the engine), while the engine runs the steps: during the upload the two
        // cores are busy with the tar and its unpacking.
        var context = BuildContext.OpenTar(request.ContextDirectory, request.Dockerfile, labels, cancellationToken);
        await using var contextLifetime = context.ConfigureAwait(false);
        var builtOn = new BuildRecords.BaseSteps();
        async Task<string> BuildBesideAsync(CancellationToken token)
        {
            using var stopAsking = CancellationTokenSource.CreateLinkedTokenSource(token);
            var asking = group is not null && baseImageId is null ? AskAfterUploadAsync(context.Writing, request, stopAsking.Token) : Task.FromResult(baseImageId);
            string built;
            try
            {
                built = await BuildAsync(request, arguments, context, builtOn, token).ConfigureAwait(false);
            }
            catch
            {
                await SideCall.DiscardAsync(asking, stopAsking).ConfigureAwait(false);
                throw;
            }
            baseImageId = await Settle(asking).ConfigureAwait(false);
            return built;
        }
        var id = pinged
            ? await BuildBesideAsync(cancellationToken).ConfigureAwait(false)
            : await DockerEngine.EnsureRunningBesideAsync(docker, endpoint, BuildBesideAsync, cancellationToken).ConfigureAwait(false);
        log($"Built {id} as {string.Join(", ", request.References)}");
        // Recorded under the key of what the engine was sent: the digest of the bytes the tar carried (not a second
        // read of the files) and the base image, which must be the one the build's FROM steps name.
        if (group is { } filed && baseImageId is not null && context.SentDigest is { } sent
            && BuildRecords.KeyOfSent(request, arguments, baseImageId, sent, builtOn) is { } sentKey)
        {
            try
            {
                BuildRecords.Add(request.RecordDirectory!, filed.Group, sentKey, id);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The image is built; a record would only have spared a later build the engine's work.
                log($"Warning: the build was not recorded in {request.RecordDirectory} ({e.Message}); the next unchanged build goes to the engine again. Check that the folder can be written.");
            }
        }
        return new ImageBuildResult(id, request.References);
    }

    private async Task<string> BuildAsync(ImageBuildRequest request, Dictionary<string, string> arguments, ContextTar context,
        BuildRecords.BaseSteps builtOn, CancellationToken cancellationToken)
    {
        var parameters = new ImageBuildParameters
        {
            Dockerfile = request.Dockerfile.Replace('\\', '/'),
            Tags = request.References.ToList(),
            BuildArgs = arguments,
            NoCache = request.NoCache,
            Remove = true,
            ForceRemove = true,
            Platform = request.Platform,
        };
        var lines = new StringBuilder();
        string? step = null;
        string? error = null;
        string? imageId = null;
        var progress = new SyncProgress<JSONMessage>(message =>
        {
            if (message.Stream is { } text)
            {
                lines.Append(text);
                FlushLines(lines, line =>
                {
                    if (BuildRecords.BaseSteps.StepLine().IsMatch(line))
                        step = line;
                    builtOn.Line(line);
                    log(line);
                });
            }
            if (message.Error?.Message is { Length: > 0 } failure)
                error ??= failure;
            if (message.Aux?.ExtensionData?.TryGetValue("ID", out var aux) == true && aux?.ToString() is { } auxId && auxId.StartsWith("sha256:", StringComparison.Ordinal))
                imageId = auxId;
        });

        try
        {
            await docker.Images.BuildImageFromDockerfileAsync(parameters, context.Stream, null, null, progress, cancellationToken).ConfigureAwait(false);
            await context.Writing.ConfigureAwait(false);
        }
        catch (Exception) when (context.WriteFailure is { } failure)
        {
            // A file of the context could not be read: that, not the engine's side of the broken upload, is the cause.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
        catch (DockerApiException e)
        {
            error ??= e.ResponseBody is { Length: > 0 } body ? body.Trim() : e.Message;
        }
        catch (Exception e) when (DockerEngine.IsUnreachable(e))
        {
            throw DockerEngine.Unreachable(endpoint, e);
        }
        if (lines.Length > 0)
            log(lines.ToString());
        if (error is not null)
        {
            var where = step is null ? "" : $" at '{step}'";
            throw new ContainerException($"The image build failed{where}: {error.Trim()}");
        }

        // The engine names the image it built in the stream's last aux message; an engine that does not is asked.
        return imageId ?? (await docker.Images.InspectImageAsync(request.References[0], cancellationToken).ConfigureAwait(false)).ID;
    }

    // Stopped with the build: a client that fails the build without reading or closing the context's stream would leave
    // the tar's writer waiting on a full pipe until the context is disposed, which happens only after this side call
    // has been awaited.
    private async Task<string?> AskAfterUploadAsync(Task uploading, ImageBuildRequest request, CancellationToken cancellationToken)
    {
        await uploading.WaitAsync(cancellationToken).ConfigureAwait(false);
        return await BuildRecords.BaseImageIdAsync(docker, request, cancellationToken).ConfigureAwait(false);
    }

    // The base image asked about beside the build: its answer, or none when the build failed or the engine could not
    // say (the build is then not recorded, which costs only a later rebuild). Awaited either way, so nothing outlives
    // the build or fails unobserved.
    private static async Task<string?> Settle(Task<string?> asking)
    {
        try
        {
            return await asking.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a record is an optimisation: no answer about the base image means no record, not a failed build
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    // The recorded image gets this build's references; false when the engine no longer has it (pruned, another engine).
    private async Task<bool> ReuseAsync(string imageId, IReadOnlyList<string> references, CancellationToken cancellationToken)
    {
        try
        {
            await docker.Images.InspectImageAsync(imageId, cancellationToken).ConfigureAwait(false);
            foreach (var reference in references)
            {
                var (repository, tag) = SplitReference(reference);
                await docker.Images.TagImageAsync(imageId, new ImageTagParameters { RepositoryName = repository, Tag = tag }, cancellationToken).ConfigureAwait(false);
            }
            return true;
        }
        catch (DockerImageNotFoundException)
        {
            return false;
        }
    }

    // registry:port/name:tag → (registry:port/name, tag); a reference without a tag is :latest.
    internal static (string Repository, string Tag) SplitReference(string reference)
    {
        var colon = reference.LastIndexOf(':');
        return colon > reference.LastIndexOf('/') ? (reference[..colon], reference[(colon + 1)..]) : (reference, "latest");
    }

    // The engine turns each API label into its own LABEL step, each committing an intermediate container (about 0.3 s
    // apiece); one LABEL line appended to the Dockerfile sent in the context does the same in one step. The quoting
    // assumes the default escape character; a Dockerfile with '# escape=`' would need backticks instead.
    internal static string LabelInstruction(ImageMetadata metadata) =>
        "LABEL " + string.Join(' ', Labels(metadata).Select(l => $"{Quote(l.Key)}={Quote(l.Value)}"));

    // LABEL values undergo variable expansion and unquoting; escape what would change them.
    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("$", "\\$", StringComparison.Ordinal) + "\"";

    internal static Dictionary<string, string> Labels(ImageMetadata metadata) => new()
    {
        ["org.opencontainers.image.version"] = metadata.Version,
        ["org.opencontainers.image.revision"] = metadata.Revision,
        ["org.opencontainers.image.source"] = metadata.Source,
        ["org.opencontainers.image.created"] = metadata.Created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
    };

    private static Dictionary<string, string> BuildArguments(ImageBuildRequest request)
    {
        var arguments = new Dictionary<string, string>(request.BuildArguments)
        {
            ["VERSION"] = request.Metadata.Version,
            ["COMMIT"] = request.Metadata.Revision,
        };
        if (request.BaseImage is not null)
            arguments["BASE_IMAGE"] = request.BaseImage;
        return arguments;
    }

    private static void FlushLines(StringBuilder buffer, Action<string> line)
    {
        var text = buffer.ToString();
        var end = text.LastIndexOf('\n');
        if (end < 0)
            return;
        foreach (var complete in text[..end].Split('\n'))
            line(complete.TrimEnd('\r'));
        buffer.Remove(0, end + 1);
    }
}
