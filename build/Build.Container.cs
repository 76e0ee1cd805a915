using CloudAge.Engine;
using CloudAge.Tools.Container.Building;
using CloudAge.Tools.Git;

namespace CloudAge.Build;

public sealed partial class Build
{
    [Parameter("Base image of the CloudAge image (default: the Dockerfile's, mcr.microsoft.com/dotnet/runtime-deps:10.0)")]
    public string? BaseImage { get; init; }

    [Parameter("Extra image tags besides sha-<7 hex>, the version and latest")]
    [Pattern("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}", "an image tag of letters, digits, '_', '.' and '-' (at most 128), such as release-2026-12")]
    public string[] ExtraTags { get; init; } = [];

    [Parameter("Build the image without the engine's layer cache or a recorded earlier build of the same inputs")]
    public bool NoCache { get; init; }

    [Parameter("Docker engine endpoint (default: unix:///var/run/docker.sock)")]
    [UriSchemes("unix:///var/run/docker.sock", "unix", "tcp", "npipe", "http", "https")]
    public Uri? DockerHost { get; init; }

    ImageTagSet? _imageTags;
    ImageTagSet ImageTagSet => _imageTags ??= ImageTags.Compute(Git, ExtraTags);
    string ShaTag => ImageTagSet.Tags.First(t => t.StartsWith("sha-", StringComparison.Ordinal));
    string LocalImage => $"{Repository}:{ShaTag}";
    Uri DockerEndpoint => DockerHost ?? DockerEngine.DefaultEndpoint;

    Target DockerBuild => _ => _
        .Description("Builds the CloudAge image per platform (--platforms) from artifacts/publish/<rid> through the Docker engine API, tagged sha-<7 hex>, version, latest")
        .DependsOn(Publish)
        // Ordering, not a dependency: `./build.sh Test Validate PushEcr` (CI) gates the image on tests and manifests,
        // while a plain `./build.sh PushEcr` schedules neither and stays as quick as before.
        .After(Test, Validate)
        .Requires(() => PlatformsAreValid)
        // With --continue, After alone would still build an image of a commit that just failed them, and PushEcr push
        // it. Failing here (not skipping: a skipped target does not stop its dependents) stops PushEcr and the deploy.
        .Executes(RefuseAfterFailedGates)
        .Executes(BuildPlatformImages);

    void RefuseAfterFailedGates()
    {
        if (FailedTargets.Where(t => t is nameof(Test) or nameof(Validate)).Order(StringComparer.Ordinal).ToList() is [_, ..] failed)
            throw new InvalidOperationException($"{string.Join(" and ", failed)} failed in this run, so no image is built from this commit (--continue goes on past a failure, not past this gate). Fix {string.Join(" and ", failed)} and run again.");
    }

    string SourceUrl => EnvironmentVariables.TryGetValue("GITHUB_REPOSITORY", out var repository)
        ? $"{EnvironmentVariables.GetValueOrDefault("GITHUB_SERVER_URL", "https://github.com")}/{repository}"
        : "https://github.com/your-org/cloudage";
}
