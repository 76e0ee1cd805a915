using System.Net;
using System.Text.Json;
using CloudAge.App.Tests.Fixtures;
using CloudAge.Testing;

namespace CloudAge.App.Tests;

/// <summary>The real image: published app, local runtime-deps stand-in, app/Dockerfile, real dockerd.</summary>
public sealed class ContainerImageTests(ServiceImageFixture fixture) : IClassFixture<ServiceImageFixture>
{
    [IntegrationFact(Needs.Docker)]
    public async Task Container_answers_root_with_the_build_arguments_and_the_configuration_it_is_given()
    {
        await using var container = await fixture.RunAsync("AWS_REGION=eu-west-1", "S3_BUCKET=cloudage-bucket", "AWS_SECRET_ACCESS_KEY=container-secret-value");

        using var response = await container.Client.GetAsync("/");
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("cloudage", json.RootElement.GetProperty("service").GetString());
        Assert.Equal(ServiceImageFixture.ImageVersion, json.RootElement.GetProperty("version").GetString());
        Assert.Equal(fixture.ImageCommit, json.RootElement.GetProperty("commit").GetString());
        var configuration = json.RootElement.GetProperty("configuration");
        Assert.Equal("eu-west-1", configuration.GetProperty("AWS_REGION").GetProperty("value").GetString());
        Assert.Equal("cloudage-bucket", configuration.GetProperty("S3_BUCKET").GetProperty("value").GetString());
        Assert.True(configuration.GetProperty("AWS_SECRET_ACCESS_KEY").GetProperty("present").GetBoolean());
        Assert.DoesNotContain("container-secret-value", body, StringComparison.Ordinal);
    }

    [IntegrationFact(Needs.Docker)]
    public async Task Container_reports_the_version_baked_at_publish_when_the_image_arguments_are_cleared()
    {
        await using var container = await fixture.RunAsync("APP_VERSION=", "APP_COMMIT=");

        using var json = JsonDocument.Parse(await container.Client.GetStringAsync("/"));

        Assert.Equal(ServiceImageFixture.PublishedVersion, json.RootElement.GetProperty("version").GetString());
        Assert.Equal(fixture.PublishedCommit, json.RootElement.GetProperty("commit").GetString());
    }

    [IntegrationFact(Needs.Docker)]
    public async Task Container_serves_healthz_on_port_80_as_a_non_root_user_and_logs_requests_but_not_passed_health_checks()
    {
        await using var container = await fixture.RunAsync();

        using var response = await container.Client.GetAsync("/healthz");
        (await container.Client.GetAsync("/")).Dispose();
        var top = await fixture.DockerAsync("top", container.Name, "-o", "uid,pid,comm");
        // The image's own user, which a plain `docker run` (no --user, as the pod's flags give) gets.
        var user = await fixture.DockerAsync("image", "inspect", "--format", "{{.Config.User}}", (await fixture.GetImageAsync()).Tag);
        var logs = await container.LogsAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var process = Assert.Single(top.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1));
        var columns = process.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(("1654", "CloudAge.App"), (columns[0], columns[2]));
        Assert.Equal("1654", user.StandardOutput.Trim());
        Assert.Contains("Now listening on: http://[::]:80", logs, StringComparison.Ordinal);
        Assert.Matches(@"Z GET / 200 \d+\.\dms", logs);
        Assert.DoesNotContain("/healthz", logs, StringComparison.Ordinal);
    }

    [IntegrationFact(Needs.Docker)]
    public async Task Container_serves_under_the_pods_read_only_root_and_dropped_capabilities_without_a_warning()
    {
        await using var container = await fixture.RunAsync();

        using var response = await container.Client.GetAsync("/");
        var host = await fixture.DockerAsync("inspect", "--format", "{{.HostConfig.ReadonlyRootfs}} {{json .HostConfig.Tmpfs}} {{json .HostConfig.CapDrop}} {{json .HostConfig.SecurityOpt}}", container.Name);
        var logs = await container.LogsAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("true {\"/tmp\":\"\"} [\"ALL\"] [\"no-new-privileges\"]", host.StandardOutput.Trim());
        // One listen address, the image's: nothing in the pod overrides it, so ASP.NET Core has nothing to warn about.
        Assert.Contains("Now listening on: http://[::]:80", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("warn:", logs, StringComparison.Ordinal);
    }

    [IntegrationFact(Needs.Docker)]
    public async Task Image_carries_the_OCI_labels_and_builds_from_a_context_that_holds_only_the_app()
    {
        var image = await fixture.GetImageAsync();

        var labels = await fixture.DockerAsync("image", "inspect", "--format", "{{json .Config.Labels}}", image.Tag);
        using var json = JsonDocument.Parse(labels.StandardOutput);

        Assert.Equal(ServiceImageFixture.ImageVersion, json.RootElement.GetProperty("org.opencontainers.image.version").GetString());
        Assert.Equal(fixture.ImageCommit, json.RootElement.GetProperty("org.opencontainers.image.revision").GetString());
        Assert.Equal(
            File.ReadAllText(Path.Combine(Prerequisites.RepositoryRoot(), "app", "Dockerfile")),
            File.ReadAllText(Path.Combine(image.PublishDirectory, "Dockerfile")));
        Assert.True(File.Exists(Path.Combine(image.PublishDirectory, ".dockerignore")));
        Assert.True(File.Exists(Path.Combine(image.PublishDirectory, "CloudAge.App")));
    }

    [IntegrationFact(Needs.Docker)]
    public async Task Base_image_script_leaves_an_existing_image_alone()
    {
        var image = await fixture.GetImageAsync();
        var before = await fixture.DockerAsync("image", "inspect", "--format", "{{.Id}}", image.BaseImage);

        var again = await fixture.Runner.RunAsync(new("bash", [Path.Combine(Prerequisites.RepositoryRoot(), "scripts", "make-local-base-image.sh"), image.BaseImage]) { StreamOutput = false });
        var after = await fixture.DockerAsync("image", "inspect", "--format", "{{.Id}}", image.BaseImage);

        Assert.Contains("already present", again.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(before.StandardOutput, after.StandardOutput);
    }
}
