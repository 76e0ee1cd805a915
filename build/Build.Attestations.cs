using System.Text.Json;
using CloudAge.Build.Support;
using CloudAge.Engine;
using CloudAge.Common.IO;
using CloudAge.Tools.Container;
using CloudAge.Tools.Container.Attestations;
using CloudAge.Tools.Container.Building;
using CloudAge.Tools.Container.Oci;
using CloudAge.Tools.Container.Pushing;
using CloudAge.Tools.Container.Registry;

namespace CloudAge.Build;

// The push of every platform as one OCI index, and what is attached to it: the CycloneDX SBOM and the SLSA provenance.
public sealed partial class Build
{
    AbsolutePath SbomFile => ArtifactsDirectory / "sbom" / "cloudage.cdx.json";

    Target Sbom => _ => _
        .Description("CycloneDX SBOM of the app (dotnet tool CycloneDX from .config/dotnet-tools.json) into artifacts/sbom; PushEcr attaches it to the image")
        .DependsOn(Restore)
        .DependentFor(PushEcr)
        .Executes(async () =>
        {
            await DotNetTool("tool", "restore");
            var raw = ArtifactsDirectory / "sbom" / "raw";
            // -dpr: Restore has just restored, so the tool does not restore again.
            await DotNetTool("CycloneDX", RootDirectory / "app" / "CloudAge.App.csproj", "-o", raw, "-fn", "bom.json", "-F", "Json",
                "-sn", "cloudage", "-sv", AppVersion, "-dpr");
            Directory.CreateDirectory(SbomFile.Parent);
            File.Copy(raw / "bom.json", SbomFile, overwrite: true);
            Log.Information($"SBOM: {Tools.Container.Attestations.Sbom.ComponentCount(File.ReadAllBytes(SbomFile))} components in {SbomFile.RelativeTo(RootDirectory)}");
        });

    // 'dotnet tool' and local tools take no --nologo, which DotNetAsync adds.
    Task<CloudAge.Common.Processes.ProcessResult> DotNetTool(params string[] arguments) =>
        Processes.RunAsync(new CloudAge.Common.Processes.ProcessSpec("dotnet", arguments)
        {
            WorkingDirectory = RootDirectory,
            Environment = new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" },
        });

    /// <summary>The platform manifests of the last push (one when a single platform was pushed).</summary>
    IReadOnlyList<PushedPlatform>? _pushedPlatforms;

    async Task PushImage(CancellationToken cancellationToken)
    {
        var (registry, credentials, immutable) = await RegistryProvider().LoginAsync(Repository, TagMutability, cancellationToken);
        using var registryClient = new RegistryClient(registry, credentials, Secrets, Log.Information);
        using var docker = DockerEngine.Connect(DockerEndpoint);
        var interactive = IsLocalBuild && EnvironmentVariables.ContainsKey("TERM");
        PushResult result;
        OciDescriptor subject;
        if (TargetPlatforms.Count == 1)
        {
            // One platform: the engine's own push, as before (a plain manifest, no index).
            var pusher = new ImagePusher(docker, DockerEndpoint, registryClient, Secrets, Log.Information);
            var request = new PushRequest(PlatformImage(TargetPlatforms[0]), registry, Repository, ImageTagSet.Tags) { Credentials = credentials, ImmutableTags = immutable };
            result = await PushProgress.Run(interactive, progress => pusher.PushAsync(request, progress, cancellationToken));
            var manifest = await registryClient.GetManifestAsync(Repository, result.Digest, cancellationToken)
                ?? throw new ContainerException($"Registry {registry} does not hold {result.ImageUri}@{result.Digest} right after pushing it; push again.");
            subject = new OciDescriptor(manifest.MediaType, manifest.Digest, manifest.Content.Length);
            _pushedPlatforms = [new PushedPlatform(TargetPlatforms[0].Platform, result.Digest, request.Image)];
        }
        else
        {
            var pusher = new IndexPusher(docker, DockerEndpoint, registryClient, Log.Information);
            var request = new IndexPushRequest(TargetPlatforms.Select(p => new PlatformImage(p.Platform, PlatformImage(p))).ToList(), registry, Repository, ImageTagSet.Tags)
            {
                ImmutableTags = immutable,
                CacheDirectory = PushCacheDirectory,
            };
            IndexPushResult? pushed = null;
            result = await PushProgress.Run(interactive, async progress => (pushed = await pusher.PushAsync(request, progress, cancellationToken)).ToPushResult());
            subject = pushed!.Index;
            _pushedPlatforms = pushed.Platforms;
        }
        foreach (var platform in _pushedPlatforms)
            Log.Information($"  {platform.Platform}: {result.ImageUri}@{platform.Digest}");
        // The pusher has said "Pushed <uri>@<digest> as <tags>; <n> bytes uploaded." once; it is not repeated here.

        await Attach(registryClient, result, subject, cancellationToken);

        new ImageArtifact(result.ImageUri, result.Digest, result.Tags, result.SkippedTags, CommitSha, ImageTagSet.Version)
        {
            Platforms = _pushedPlatforms.Select(p => new ImagePlatform(p.Platform.ToString(), p.Digest)).ToList(),
        }.Write(ImageArtifactFile);
        SetOutput("image-uri", result.ImageUri);
        SetOutput("image-digest", result.Digest);
        SetOutput("image-tag", ShaTag);
        SetOutput("image-tags", string.Join(' ', result.Tags));
        SetOutput("image-platforms", string.Join(' ', _pushedPlatforms.Select(p => p.Platform.ToString())));
        if (EffectiveScanner() == ScannerChoice.None)
            SetOutput("scan-result", Scanner == ScannerChoice.None ? "not scanned (--scanner none)" : "not scanned (no scanner available, --scan-optional)");
    }

    /// <summary>Compressed-layer digests and manifests of earlier pushes, so a re-push of an unchanged image sends nothing (kept across Clean).</summary>
    string PushCacheDirectory => Path.Combine(CacheDirectory, "oci");

    /// <summary>Which image each earlier build made from which inputs, so an unchanged build is not sent to the engine again (kept across Clean).</summary>
    string BuildRecordDirectory => Path.Combine(CacheDirectory, "builds");

    /// <summary>$XDG_CACHE_HOME/cloudage, else ~/.cache/cloudage.</summary>
    string CacheDirectory => EnvironmentVariables.GetValueOrDefault("XDG_CACHE_HOME") is { Length: > 0 } cache
        ? Path.Combine(cache, "cloudage")
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "cloudage");

    async Task Attach(RegistryClient registryClient, PushResult result, OciDescriptor subject, CancellationToken cancellationToken)
    {
        var referrers = new Referrers(registryClient, Log.Information);
        var created = new Dictionary<string, string> { ["org.opencontainers.image.created"] = CommitTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) };
        if (File.Exists(SbomFile))
        {
            var sbom = Tools.Container.Attestations.Sbom.MakeReproducible(File.ReadAllBytes(SbomFile), result.Digest, CommitTime);
            AtomicFile.Write(ArtifactsDirectory / "sbom" / "attached.cdx.json", System.Text.Encoding.UTF8.GetString(sbom));
            var attached = await referrers.AttachAsync(Repository, subject, OciMediaTypes.CycloneDxJson, sbom, "cloudage.cdx.json", created, cancellationToken);
            SetOutput("sbom-digest", attached.Manifest.Digest);
        }
        else
        {
            Log.Warning($"No SBOM at {SbomFile.RelativeTo(RootDirectory)} (the Sbom target was skipped); the image goes without one.");
        }
        var provenance = Provenance.Create(new ProvenanceFacts(result.ImageUri, result.Digest, SourceUrl, CommitSha,
            $"./build.sh PushEcr --platforms {string.Join(',', TargetPlatforms.Select(p => p.Platform))}", BuilderId, CommitTime)
        {
            Platforms = TargetPlatforms.Select(p => p.Platform.ToString()).ToList(),
        });
        AtomicFile.Write(ArtifactsDirectory / "provenance.intoto.json", System.Text.Encoding.UTF8.GetString(provenance));
        var statement = await referrers.AttachAsync(Repository, subject, OciMediaTypes.InTotoJson, provenance, "provenance.intoto.json", created, cancellationToken);
        SetOutput("provenance-digest", statement.Manifest.Digest);
    }

    // Stable for a commit: the workflow file at its ref on GitHub Actions (not the run, which differs on a re-run), else a local build.
    string BuilderId => EnvironmentVariables.TryGetValue("GITHUB_WORKFLOW_REF", out var workflow) && workflow.Length > 0
        ? $"{EnvironmentVariables.GetValueOrDefault("GITHUB_SERVER_URL", "https://github.com")}/{workflow}"
        : "urn:cloudage:builder:local";
}
