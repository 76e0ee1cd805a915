using CloudAge.Common.Processes;
using CloudAge.Common.Secrets;
using CloudAge.Testing;
using CloudAge.Tools.Container.Building;
using CloudAge.Tools.Container.Pushing;
using CloudAge.Tools.Container.Registry;
using CloudAge.Tools.Container.Tests.Fixtures;

namespace CloudAge.Tools.Container.Tests.Building;

/// <summary>DockerBuild is reproducible for an unchanged commit: the real Docker engine, a real git repository for the commit
/// time, and the CNCF registry treated as an IMMUTABLE repository.</summary>
public sealed class ReproducibleBuildTests(PushFixture fixture) : IClassFixture<PushFixture>
{
    private readonly Log _log = new();

    [IntegrationFact(Needs.Docker | Needs.Registry | Needs.Htpasswd)]
    public async Task Two_builds_of_one_commit_give_one_digest_and_an_immutable_repository_accepts_the_rerun()
    {
        await using var docker = new DockerCli();
        var baseImage = await docker.MakeBaseImageAsync();
        using var source = new TempDirectory();
        source.Write("Dockerfile", "ARG BASE_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0\nFROM ${BASE_IMAGE}\nARG VERSION\nARG COMMIT\nENV APP_VERSION=${VERSION} APP_COMMIT=${COMMIT}\nCOPY app.txt /app/app.txt\n");
        source.Write("app.txt", "reproducible " + Guid.NewGuid());
        var runner = new ProcessRunner(new SecretMasker(), _ => { });
        var commitTime = new DateTimeOffset(2026, 11, 30, 12, 34, 56, TimeSpan.Zero);
        await GitAsync(runner, source.Path, null, "init", "--quiet");
        await GitAsync(runner, source.Path, null, "add", "--all");
        await GitAsync(runner, source.Path, commitTime, "-c", "user.name=Dev", "-c", "user.email=dev@example.com", "commit", "--quiet", "-m", "app");
        var commit = (await runner.RunAsync(new ProcessSpec("git", ["rev-parse", "HEAD"]) { WorkingDirectory = source.Path, StreamOutput = false })).StandardOutput.Trim();
        var name = $"cloudage-test-repro-{Guid.NewGuid():N}";
        using var client = DockerEngine.Connect(DockerCli.Endpoint);

        async Task<string> BuildAsync(string tag)
        {
            // Each run resolves the creation time again, as two runs of ./build.sh DockerBuild would.
            var created = await SourceDateEpoch.ResolveAsync(runner, source.Path, null);
            var metadata = new ImageMetadata("1.0.0", commit, "https://example.com/cloudage.git", created);
            var result = await new DockerBuilder(client, DockerCli.Endpoint, _log.Write).BuildAsync(
                new ImageBuildRequest(source.Path, [docker.Track($"{name}:{tag}")], metadata) { BaseImage = baseImage });
            return result.ImageId;
        }

        var first = await BuildAsync("first");
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        var second = await BuildAsync("second");

        Assert.Equal(first, second);
        Assert.Equal(commitTime, await SourceDateEpoch.ResolveAsync(runner, source.Path, null));
        Assert.Equal("2026-11-30T12:34:56Z", await docker.RunAsync("image", "inspect", "--format",
            "{{index .Config.Labels \"org.opencontainers.image.created\"}}", $"{name}:second"));

        // A re-run of the pipeline against an IMMUTABLE repository: the same tag again is "already pushed", not a conflict.
        var registry = await fixture.RegistryAsync();
        var repository = "cloudage-repro-" + Guid.NewGuid().ToString("N")[..8];
        using var pushedImages = new LocalImages(repository); // the push tags the image registry/repository:tag
        var pushed = await PushAsync(registry, $"{name}:first", repository, $"sha-{commit[..7]}");
        var rerun = await PushAsync(registry, $"{name}:second", repository, $"sha-{commit[..7]}");

        Assert.Equal(pushed.Digest, rerun.Digest);
        Assert.Contains(_log.Lines, l => l.Contains($"{repository}:sha-{commit[..7]} already points at this image", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SOURCE_DATE_EPOCH_wins_over_the_commit_time_and_a_bad_value_names_it()
    {
        var runner = new ProcessRunner(new SecretMasker(), _ => { });

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1764547200), await SourceDateEpoch.ResolveAsync(runner, Path.GetTempPath(), "1764547200"));
        var error = await Assert.ThrowsAsync<ArgumentException>(() => SourceDateEpoch.ResolveAsync(runner, Path.GetTempPath(), "yesterday"));
        Assert.Contains("SOURCE_DATE_EPOCH 'yesterday'", error.Message);
    }

    private async Task<PushResult> PushAsync(RegistryServer registry, string image, string repository, string tag)
    {
        var credentials = new RegistryCredentials(RegistryServer.User, registry.Password);
        var masker = new SecretMasker();
        using var client = new RegistryClient(registry.Address, credentials, masker, _log.Write, new RegistryClientOptions { Retry = PushFixture.FastRetries });
        using var engine = DockerEngine.Connect(DockerCli.Endpoint);
        var pusher = new ImagePusher(engine, DockerCli.Endpoint, client, masker, _log.Write, PushFixture.FastRetries);
        return await pusher.PushAsync(new PushRequest(image, registry.Address, repository, [tag]) { Credentials = credentials, ImmutableTags = TagImmutability.All },
            new SyncProgressForTests<LayerProgress>(_ => { }));
    }

    private static Task<ProcessResult> GitAsync(ProcessRunner runner, string directory, DateTimeOffset? date, params string[] arguments)
    {
        var environment = new Dictionary<string, string?>();
        if (date is { } d)
        {
            environment["GIT_AUTHOR_DATE"] = d.ToString("yyyy-MM-ddTHH:mm:ssZ");
            environment["GIT_COMMITTER_DATE"] = d.ToString("yyyy-MM-ddTHH:mm:ssZ");
        }
        return runner.RunAsync(new ProcessSpec("git", arguments) { WorkingDirectory = directory, Environment = environment, StreamOutput = false });
    }
}
