using CloudAge.Testing;
using CloudAge.Tools.Container.Building;
using CloudAge.Tools.Container.Tests.Fixtures;
using Microsoft.AspNetCore.Http;

namespace CloudAge.Tools.Container.Tests.Building;

public class DockerBuilderTests
{
    private static readonly ImageMetadata Metadata = new("1.2.4-dev.3", "0123abcdef456789012345678901234567890abc", "https://example.com/cloud\"age$HOME.git",
        new DateTimeOffset(2026, 11, 26, 4, 0, 0, TimeSpan.Zero));

    [IntegrationFact(Needs.Docker)]
    public async Task Build_tags_the_image_with_labels_and_build_arguments_and_streams_the_log()
    {
        await using var docker = new DockerCli();
        var baseImage = await docker.MakeBaseImageAsync();
        using var context = new TempDirectory();
        context.Write("Dockerfile", "ARG BASE_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0\nFROM ${BASE_IMAGE}\nARG VERSION\nARG COMMIT\nENV APP_VERSION=${VERSION} APP_COMMIT=${COMMIT}\nCOPY app.txt /app/app.txt\n");
        context.Write("app.txt", "hello");
        context.Write("ignored.log", "no");
        context.Write(".dockerignore", "*.log");
        var name = $"cloudage-test-build-{Guid.NewGuid():N}";
        string[] references = [docker.Track($"{name}:1.2.4-dev.3"), docker.Track($"{name}:sha-0123abc")];
        var log = new Log();
        using var client = DockerEngine.Connect(DockerCli.Endpoint);

        var result = await new DockerBuilder(client, DockerCli.Endpoint, log.Write).BuildAsync(
            new ImageBuildRequest(context.Path, references, Metadata) { BaseImage = baseImage });

        var inspect = await docker.RunAsync("image", "inspect", "--format",
            "{{.Id}}|{{index .Config.Labels \"org.opencontainers.image.revision\"}}|{{index .Config.Labels \"org.opencontainers.image.version\"}}|" +
            "{{index .Config.Labels \"org.opencontainers.image.source\"}}|{{index .Config.Labels \"org.opencontainers.image.created\"}}|{{json .Config.Env}}", references[1]);
        var fields = inspect.Split('|');
        Assert.Equal(result.ImageId, fields[0]);
        Assert.Equal([Metadata.Revision, Metadata.Version, Metadata.Source, "2026-11-26T04:00:00Z"], fields[1..5]);
        Assert.Contains("APP_COMMIT=" + Metadata.Revision, fields[5]);
        Assert.Contains(log.Lines, l => l.StartsWith("Step 1/", StringComparison.Ordinal));
        var files = await docker.ListFilesAsync(references[0]);
        Assert.Contains("app/app.txt", files);
        Assert.DoesNotContain(files, f => f.EndsWith(".log", StringComparison.Ordinal));
    }

    [IntegrationFact(Needs.Docker)]
    public async Task A_failing_step_fails_the_build_naming_the_step_and_its_error()
    {
        await using var docker = new DockerCli();
        var baseImage = await docker.MakeBaseImageAsync();
        using var context = new TempDirectory();
        context.Write("Dockerfile", $"FROM {baseImage}\nCOPY present.txt /present.txt\nCOPY missing.txt /missing.txt\n");
        context.Write("present.txt");
        using var client = DockerEngine.Connect(DockerCli.Endpoint);

        var error = await Assert.ThrowsAsync<ContainerException>(() => new DockerBuilder(client, DockerCli.Endpoint, _ => { }).BuildAsync(
            new ImageBuildRequest(context.Path, [docker.Track($"cloudage-test-fail-{Guid.NewGuid():N}:x")], Metadata)));

        Assert.Matches(@"at 'Step 3/\d+ : COPY missing.txt /missing.txt'", error.Message);
        Assert.Contains("missing.txt: file does not exist", error.Message);
    }

    [Fact]
    public async Task Without_an_engine_the_error_says_so_and_how_to_start_one()
    {
        var endpoint = new Uri($"unix:///tmp/no-docker-{Guid.NewGuid():N}.sock");
        using var client = DockerEngine.Connect(endpoint);
        using var context = new TempDirectory();
        context.Write("Dockerfile", "FROM scratch");

        var error = await Assert.ThrowsAsync<ContainerException>(() => new DockerBuilder(client, endpoint, _ => { }).BuildAsync(
            new ImageBuildRequest(context.Path, ["x:y"], Metadata)));

        Assert.Contains($"No Docker engine answers at {endpoint}: there is no socket at {endpoint.LocalPath}.", error.Message);
        Assert.Contains("sudo systemctl start docker", error.Message);
        Assert.Contains("DOCKER_HOST", error.Message);
        Assert.DoesNotContain("Cannot assign requested address", error.Message);
    }

    [Fact]
    public void A_socket_that_refuses_this_user_is_said_as_such_with_the_docker_group()
    {
        // EACCES on connect(2) to the engine's socket: a user outside the 'docker' group (root, which runs these tests, never sees it).
        using var socket = new TempDirectory();
        var path = socket.Write("docker.sock");

        var error = DockerEngine.Unreachable(new Uri("unix://" + path), new HttpRequestException("Permission denied",
            new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.AccessDenied)));

        Assert.StartsWith($"The Docker engine's socket {path} refuses this user (permission denied).", error.Message, StringComparison.Ordinal);
        Assert.Contains("sudo usermod -aG docker $USER", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_engine_the_ping_is_the_error_even_when_its_first_call_ran_beside_it()
    {
        var endpoint = new Uri($"unix:///tmp/no-docker-{Guid.NewGuid():N}.sock");
        using var client = DockerEngine.Connect(endpoint);
        using var context = new TempDirectory();
        context.Write("Dockerfile", "ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\n");
        using var records = new TempDirectory();

        // With build records (a group with none yet) the build and the base image's lookup run beside the ping; the
        // builder and the pusher both report the ping's sentence, not the calls that failed beside it.
        var build = await Assert.ThrowsAsync<ContainerException>(() => new DockerBuilder(client, endpoint, _ => { }).BuildAsync(
            new ImageBuildRequest(context.Path, ["x:y"], Metadata) { BaseImage = "base:1", RecordDirectory = records.Path }));
        using var registry = new CloudAge.Tools.Container.Registry.RegistryClient("127.0.0.1:9", null, new CloudAge.Common.Secrets.SecretMasker(), _ => { });
        var push = await Assert.ThrowsAsync<ContainerException>(() => new CloudAge.Tools.Container.Pushing.ImagePusher(
            client, endpoint, registry, new CloudAge.Common.Secrets.SecretMasker(), _ => { }).PushAsync(
            new CloudAge.Tools.Container.Pushing.PushRequest("sha256:" + new string('a', 64), "127.0.0.1:9", "app", ["1.0.0"])));

        Assert.StartsWith($"No Docker engine answers at {endpoint}", build.Message);
        Assert.StartsWith($"No Docker engine answers at {endpoint}", push.Message);
        Assert.Empty(Directory.GetFiles(records.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_call_beside_the_ping_is_stopped_by_the_pings_failure_unless_the_engine_already_answered_it()
    {
        var endpoint = new Uri($"unix:///tmp/no-docker-{Guid.NewGuid():N}.sock");
        using var client = DockerEngine.Connect(endpoint);

        // Still running when the ping fails: stopped, awaited, and the ping's sentence is the error.
        var stopped = false;
        var error = await Assert.ThrowsAsync<ContainerException>(() => DockerEngine.EnsureRunningBesideAsync(client, endpoint, async token =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            finally
            {
                stopped = true;
            }
            return 0;
        }));
        Assert.StartsWith($"No Docker engine answers at {endpoint}", error.Message);
        Assert.True(stopped);

        // Answered before the ping's failure came: the answer stands.
        Assert.Equal(42, await DockerEngine.EnsureRunningBesideAsync(client, endpoint, _ => Task.FromResult(42)));
    }

    [Fact]
    public async Task A_server_that_is_not_an_engine_is_named_as_such_with_what_it_answered()
    {
        // A web server where DOCKER_HOST points (a registry, say): it answers every request with 404.
        await using var server = LoopbackWebApp.Create(async context =>
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("404 page not found\n::error::not a command");
        });
        await server.StartAsync();
        var endpoint = new Uri(server.Urls.First().Replace("http://", "tcp://", StringComparison.Ordinal));
        using var client = DockerEngine.Connect(endpoint);
        using var context = new TempDirectory();
        context.Write("Dockerfile", "FROM scratch");

        var error = await Assert.ThrowsAsync<ContainerException>(() => new DockerBuilder(client, endpoint, _ => { }).BuildAsync(
            new ImageBuildRequest(context.Path, ["x:y"], Metadata)));

        Assert.StartsWith($"What answers at {endpoint} is not a working Docker engine: its ping (GET /_ping) got HTTP 404 '404 page not found", error.Message);
        Assert.Contains("Point DOCKER_HOST at a Docker engine", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}
