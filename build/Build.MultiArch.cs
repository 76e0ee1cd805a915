using System.Globalization;
using System.Runtime.InteropServices;
using CloudAge.Common.Processes;
using CloudAge.Engine;
using CloudAge.Engine.Cli;
using CloudAge.Tools.Container;
using CloudAge.Tools.Container.Building;
using CloudAge.Tools.Container.Oci;
using Docker.DotNet;

namespace CloudAge.Build;

// Multi-architecture images: one publish per runtime, one engine build per platform, pushed as one OCI index
// (the push, SBOM and provenance are in Build.Attestations.cs; Inspect in Build.Inspect.cs).
public sealed partial class Build
{
    [Parameter("Platforms to build and push as one OCI index, comma-separated: linux/amd64, linux/arm64 (one builds faster on a laptop)", Separator = ',')]
    public string[] Platforms { get; init; } = ["linux/amd64", "linux/arm64"];

    /// <summary>A platform CloudAge builds for, with the .NET runtime identifier that publishes for it.</summary>
    sealed record BuildPlatform(OciPlatform Platform, string RuntimeIdentifier)
    {
        public string Architecture => Platform.Architecture;
    }

    static readonly BuildPlatform[] SupportedPlatforms =
    [
        new(new OciPlatform("amd64", "linux"), "linux-x64"),
        new(new OciPlatform("arm64", "linux"), "linux-arm64"),
    ];

    IReadOnlyList<BuildPlatform>? _targetPlatforms;

    IReadOnlyList<BuildPlatform> TargetPlatforms => _targetPlatforms ??= ParsePlatforms();

    // Checked before any target runs (a Requires condition), so a bad value exits 2 with this sentence.
    bool PlatformsAreValid => TargetPlatforms.Count > 0;

    List<BuildPlatform> ParsePlatforms()
    {
        var chosen = new List<BuildPlatform>();
        foreach (var name in Platforms)
        {
            var platform = SupportedPlatforms.FirstOrDefault(p => string.Equals(p.Platform.ToString(), name.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw new UsageException($"{Given()}: '{UserText.Printable(name)}' is not a platform CloudAge builds. Expected linux/amd64, linux/arm64 or both, for example --platforms linux/amd64,linux/arm64.");
            if (!chosen.Contains(platform))
                chosen.Add(platform);
        }
        return chosen.Count > 0 ? chosen
            : throw new UsageException($"{Given()} is empty. Pass linux/amd64, linux/arm64 or both, for example --platforms linux/amd64,linux/arm64.");

        // Named as the user gave it (--platforms, PLATFORMS or the parameters-file key), and the value echoed escaped, as
        // the engine words its own conversion errors.
        string Given() => ParameterSourceOf(nameof(Platforms)) is { Origin: ParameterOrigin.CommandLine or ParameterOrigin.Default } source
            ? $"Parameter 'Platforms' ({source})"
            : $"Parameter 'Platforms' (--platforms) from {ParameterSourceOf(nameof(Platforms))}";
    }

    AbsolutePath PublishDirectory(BuildPlatform platform) => ArtifactsDirectory / "publish" / platform.RuntimeIdentifier;

    /// <summary>The platform whose image also carries the plain local tags (RunLocal, DeployLocal use it): the host's, when built.</summary>
    BuildPlatform PrimaryPlatform => TargetPlatforms.FirstOrDefault(p => p.Architecture == HostArchitecture) ?? TargetPlatforms[0];

    static string HostArchitecture => RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "amd64";

    /// <summary>Each platform's local image, e.g. cloudage:sha-0123abc-arm64.</summary>
    string PlatformImage(BuildPlatform platform) => $"{Repository}:{ShaTag}-{platform.Architecture}";

    DateTimeOffset? _commitTime;

    /// <summary>HEAD's commit time: every time stamp of the image, its labels, SBOM and provenance (as SOURCE_DATE_EPOCH), so one commit gives one digest.</summary>
    DateTimeOffset CommitTime => _commitTime ??= ReadCommitTime();

    // SOURCE_DATE_EPOCH when set (the reproducible-builds convention), else HEAD's commit time; never the clock.
    DateTimeOffset ReadCommitTime() =>
        SourceDateEpoch.ResolveAsync(Processes, RootDirectory, EnvironmentVariables.GetValueOrDefault("SOURCE_DATE_EPOCH")).GetAwaiter().GetResult();

    void PublishPlatforms()
    {
        foreach (var platform in TargetPlatforms)
        {
            Log.Information($"Publishing for {platform.Platform} ({platform.RuntimeIdentifier}) into {PublishDirectory(platform).RelativeTo(RootDirectory)}");
            DotNet("publish", RootDirectory / "app" / "CloudAge.App.csproj", "-c", "Release", "-r", platform.RuntimeIdentifier, "--self-contained",
                "-p:PublishSingleFile=true", "-p:InvariantGlobalization=true",
                $"-p:Version={AppVersion}", $"-p:SourceRevisionId={CommitSha}", "-o", PublishDirectory(platform));
        }
    }

    async Task BuildPlatformImages(CancellationToken cancellationToken)
    {
        // The context is Publish's output: without it (Publish skipped, artifacts/ cleaned) say which target makes it.
        foreach (var platform in TargetPlatforms.Where(p => !Directory.Exists(PublishDirectory(p))))
            throw new InvalidOperationException($"{PublishDirectory(platform).RelativeTo(RootDirectory)} does not exist: DockerBuild builds the image from what Publish writes there. " +
                $"Run ./build.sh Publish --platforms {platform.Platform} first, or DockerBuild without skipping Publish.");
        // The git questions (version, commit, commit time) and the engine's (ping, base images) are independent: asked at once.
        var reading = Task.Run(() => new ImageMetadata(AppVersion, CommitSha, SourceUrl, CommitTime), cancellationToken);
        try
        {
            await BuildPlatformImages(reading, cancellationToken);
        }
        catch (Exception) when (!reading.IsCompleted)
        {
            // The engine failed while git was still being asked: git finishes before the failure is reported, so none of its
            // lines (or processes) come after the target's failure and the summary.
            await Task.WhenAny(reading);
            throw;
        }
    }

    async Task BuildPlatformImages(Task<ImageMetadata> reading, CancellationToken cancellationToken)
    {
        using var docker = DockerEngine.Connect(DockerEndpoint);
        await DockerEngine.EnsureRunningAsync(docker, DockerEndpoint, cancellationToken);
        var bases = TargetPlatforms.ToDictionary(p => p, p => BaseImageFor(docker, p, cancellationToken));
        var metadata = await reading;
        // The platforms build at once, as buildx builds them: the engine receives, unpacks and hashes each context on
        // its own core. Each line names its platform; the first failure stops the other build and is the one reported.
        var several = TargetPlatforms.Count > 1;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Exception? firstFailure = null;
        var builds = TargetPlatforms.Select(async platform =>
        {
            try
            {
                var references = new List<string> { PlatformImage(platform) };
                if (platform == PrimaryPlatform)
                    references.InsertRange(0, ImageTagSet.Tags.Select(t => $"{Repository}:{t}"));
                var request = new ImageBuildRequest(PublishDirectory(platform), references, metadata)
                {
                    BaseImage = await bases[platform],
                    NoCache = NoCache,
                    Platform = platform.Platform.ToString(),
                    RecordDirectory = BuildRecordDirectory,
                };
                Action<string> log = several ? line => Log.Information($"[{platform.Platform}] {line}") : Log.Information;
                return (Platform: platform, Result: await new DockerBuilder(docker, DockerEndpoint, log).BuildAsync(request, stop.Token));
            }
            catch (Exception e)
            {
                // The first to fail in time is the cause; the other build then fails only because it was stopped.
                Interlocked.CompareExchange(ref firstFailure, e, null);
                await stop.CancelAsync();
                throw;
            }
        }).ToList();
        try
        {
            await Task.WhenAll(builds);
        }
        catch (Exception) when (Volatile.Read(ref firstFailure) is { } first && first is not OperationCanceledException)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        }
        foreach (var (platform, result) in builds.Select(b => b.Result))
        {
            SetOutput($"image-id-{platform.Architecture}", result.ImageId);
            if (platform == PrimaryPlatform)
                SetOutput("image-id", result.ImageId);
        }
    }

    /// <summary>
    /// The base image for one platform, from --base-image named once. A local image of that platform is used as it is;
    /// else a local NAME:TAG-&lt;arch&gt; of it (scripts/make-local-base-image.sh makes both); else the name goes to the
    /// engine, which takes the platform's manifest from the registry's index (as MCR's runtime-deps has one).
    /// </summary>
    async Task<string?> BaseImageFor(IDockerClient docker, BuildPlatform platform, CancellationToken cancellationToken)
    {
        if (BaseImage is null)
            return null;
        var named = await InspectLocal(docker, BaseImage, cancellationToken);
        if (named is not null && named.Architecture == platform.Architecture)
            return BaseImage;
        var variant = PlatformVariant(BaseImage, platform.Architecture);
        var local = await InspectLocal(docker, variant, cancellationToken);
        if (local is not null && local.Architecture == platform.Architecture)
            return variant;
        if (named is not null && (named.RepoDigests is null || named.RepoDigests.Count == 0))
            throw new ContainerException($"The base image {BaseImage} is a local {named.Os}/{named.Architecture} image and there is no local {variant} for {platform.Platform}. " +
                $"Make both with scripts/make-local-base-image.sh {BaseImage}, or build one platform with --platforms {named.Os}/{named.Architecture}.");
        return BaseImage;
    }

    /// <summary>NAME:TAG-arch (NAME:latest-arch when no tag is given).</summary>
    static string PlatformVariant(string image, string architecture)
    {
        var name = image.Split('@')[0];
        var slash = name.LastIndexOf('/');
        return name.IndexOf(':', slash + 1) > 0 ? $"{name}-{architecture}" : $"{name}:latest-{architecture}";
    }

    static async Task<Docker.DotNet.Models.ImageInspectResponse?> InspectLocal(IDockerClient docker, string image, CancellationToken cancellationToken)
    {
        try
        {
            return await docker.Images.InspectImageAsync(image, cancellationToken);
        }
        catch (DockerImageNotFoundException)
        {
            return null;
        }
    }
}
