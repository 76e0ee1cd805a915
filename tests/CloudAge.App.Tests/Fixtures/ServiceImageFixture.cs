using System.Collections.Concurrent;
using CloudAge.Common.Processes;
using CloudAge.Common.Secrets;
using CloudAge.Testing;

namespace CloudAge.App.Tests.Fixtures;

/// <summary>The image built once per test class, and the names of what was published into it.</summary>
public sealed record ServiceImage(string Tag, string BaseImage, string PublishDirectory, string Version, string Commit);

/// <summary>
/// Publishes the app exactly as the build's Publish target does, makes the local runtime-deps stand-in with
/// scripts/make-local-base-image.sh and builds app/Dockerfile on it: once per class, and only when a test asks
/// (so a machine without Docker that skips the tests pays nothing). Removes the images and files afterwards.
/// </summary>
public sealed class ServiceImageFixture : IAsyncLifetime
{
    public const string PublishedVersion = "9.8.7-published";
    public const string ImageVersion = "1.2.3";

    private readonly string _id = Guid.NewGuid().ToString("N")[..12];
    private readonly string _workDirectory;
    private readonly Lazy<Task<ServiceImage>> _image;

    public ServiceImageFixture()
    {
        _workDirectory = Path.Combine(Path.GetTempPath(), "cloudage-app-tests-" + _id);
        Runner = new ProcessRunner(new SecretMasker(), line => Output.Enqueue(line));
        _image = new Lazy<Task<ServiceImage>>(BuildAsync);
    }

    public ConcurrentQueue<string> Output { get; } = new();

    public ProcessRunner Runner { get; }

    public string PublishedCommit => "published" + _id;

    public string ImageCommit => "imaged" + _id;

    public Task<ServiceImage> GetImageAsync() => _image.Value;

    public Task<ProcessResult> DockerAsync(params string[] arguments) =>
        Runner.RunAsync(new ProcessSpec("docker", arguments) { Timeout = TimeSpan.FromMinutes(2), StreamOutput = false });

    public async Task<RunningContainer> RunAsync(params string[] environment)
    {
        var image = await GetImageAsync();
        return await RunningContainer.StartAsync(this, image.Tag, "cloudage-test-" + _id + "-" + Guid.NewGuid().ToString("N")[..6], environment);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_image.IsValueCreated)
        {
            var app = "cloudage-test-app-" + _id + ":test";
            // make-local-base-image.sh makes NAME:TAG and, where it can, NAME:TAG-arm64.
            var baseImage = "cloudage-test-base-" + _id + ":local";
            await Runner.RunAsync(new ProcessSpec("docker", ["image", "rm", "--force", app, baseImage, baseImage + "-arm64"]) { ThrowOnFailure = false, StreamOutput = false });
        }
        if (Directory.Exists(_workDirectory))
            Directory.Delete(_workDirectory, recursive: true);
    }

    private async Task<ServiceImage> BuildAsync()
    {
        var root = Prerequisites.RepositoryRoot();
        var publish = Path.Combine(_workDirectory, "publish");
        // The same command the Publish target runs; its own artifacts path keeps it off the app's obj/ that `dotnet test` uses.
        await Runner.RunAsync(new ProcessSpec("dotnet",
        [
            "publish", Path.Combine(root, "app", "CloudAge.App.csproj"), "-c", "Release", "-r", "linux-x64", "--self-contained",
            "-p:PublishSingleFile=true", "-p:InvariantGlobalization=true",
            "-p:Version=" + PublishedVersion, "-p:SourceRevisionId=" + PublishedCommit,
            "--artifacts-path", Path.Combine(_workDirectory, "build"), "-o", publish, "-nodeReuse:false",
        ]) { WorkingDirectory = root, Timeout = TimeSpan.FromMinutes(5), StreamOutput = false });

        var baseImage = "cloudage-test-base-" + _id + ":local";
        await Runner.RunAsync(new ProcessSpec("bash", [Path.Combine(root, "scripts", "make-local-base-image.sh"), baseImage])
            { Timeout = TimeSpan.FromMinutes(2), StreamOutput = false });

        var tag = "cloudage-test-app-" + _id + ":test";
        await Runner.RunAsync(new ProcessSpec("docker",
        [
            "build", "--build-arg", "BASE_IMAGE=" + baseImage, "--build-arg", "VERSION=" + ImageVersion,
            "--build-arg", "COMMIT=" + ImageCommit, "-t", tag, publish,
        ]) { Timeout = TimeSpan.FromMinutes(3), StreamOutput = false });
        return new ServiceImage(tag, baseImage, publish, ImageVersion, ImageCommit);
    }
}
