using System.Net;
using System.Text.Json;
using CloudAge.App.Tests.Fixtures;

namespace CloudAge.App.Tests;

public sealed class ServiceAppTests
{
    private static readonly Dictionary<string, string?> FullConfiguration = new()
    {
        ["ASSIGNMENTS_TABLE"] = "cloudage-assignments",
        ["AWS_REGION"] = "eu-central-1",
        ["BEDROCK_MODEL_ID"] = "anthropic.claude-3-haiku",
        ["S3_BUCKET"] = "cloudage-uploads",
        ["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/cloudage",
        ["AWS_ACCESS_KEY_ID"] = "AKIAEXAMPLEKEYID0001",
        ["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI-very-secret-value",
        ["AWS_SESSION_TOKEN"] = "FwoGZXIvYXdzEXAMPLEsessiontoken",
    };

    [Fact]
    public async Task Root_names_the_service_and_shows_the_configuration_values_it_sees()
    {
        await using var app = await InProcessApp.StartAsync(FullConfiguration);

        using var response = await app.Client.GetAsync("/");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var root = json.RootElement;
        Assert.Equal("cloudage", root.GetProperty("service").GetString());
        var configuration = root.GetProperty("configuration");
        Assert.Equal("cloudage-assignments", configuration.GetProperty("ASSIGNMENTS_TABLE").GetProperty("value").GetString());
        Assert.Equal("eu-central-1", configuration.GetProperty("AWS_REGION").GetProperty("value").GetString());
        Assert.Equal("anthropic.claude-3-haiku", configuration.GetProperty("BEDROCK_MODEL_ID").GetProperty("value").GetString());
        Assert.Equal("cloudage-uploads", configuration.GetProperty("S3_BUCKET").GetProperty("value").GetString());
        Assert.True(configuration.GetProperty("S3_BUCKET").GetProperty("present").GetBoolean());
    }

    [Fact]
    public async Task Root_says_that_a_role_is_configured_but_not_which()
    {
        await using var app = await InProcessApp.StartAsync(FullConfiguration);

        var body = await app.Client.GetStringAsync("/");
        using var json = JsonDocument.Parse(body);

        var role = json.RootElement.GetProperty("configuration").GetProperty("AWS_ROLE_ARN");
        Assert.True(role.GetProperty("present").GetBoolean());
        Assert.False(role.TryGetProperty("value", out _));
        Assert.DoesNotContain("123456789012", body, StringComparison.Ordinal);
        Assert.DoesNotContain("role/cloudage", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Root_says_that_an_EKS_Pod_Identity_is_configured_but_not_where_its_token_is()
    {
        // What EKS Pod Identity puts into the container (instead of IRSA's AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE).
        var podIdentity = new Dictionary<string, string?>
        {
            ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://169.254.170.23/v1/credentials",
            ["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = "/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token",
        };
        await using var app = await InProcessApp.StartAsync(podIdentity);

        var body = await app.Client.GetStringAsync("/");
        using var json = JsonDocument.Parse(body);

        var configuration = json.RootElement.GetProperty("configuration");
        foreach (var (key, value) in podIdentity)
        {
            Assert.True(configuration.TryGetProperty(key, out var entry), key);
            Assert.True(entry.GetProperty("present").GetBoolean(), key);
            Assert.True(entry.GetProperty("secret").GetBoolean(), key);
            Assert.False(entry.TryGetProperty("value", out _), key);
            Assert.DoesNotContain(value!, body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Root_shows_only_presence_for_secret_looking_keys_and_never_their_values()
    {
        await using var app = await InProcessApp.StartAsync(FullConfiguration);

        var body = await app.Client.GetStringAsync("/");
        using var json = JsonDocument.Parse(body);

        var configuration = json.RootElement.GetProperty("configuration");
        foreach (var key in new[] { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN" })
        {
            var entry = configuration.GetProperty(key);
            Assert.True(entry.GetProperty("present").GetBoolean(), key);
            Assert.True(entry.GetProperty("secret").GetBoolean(), key);
            Assert.False(entry.TryGetProperty("value", out _), key);
            Assert.DoesNotContain(FullConfiguration[key]!, body, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("wJalrXUtnFEMI", app.Log.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AWS_SECRET_ACCESS_KEY", true)]
    [InlineData("GITHUB_TOKEN", true)]
    [InlineData("db_password", true)]
    [InlineData("API_KEY", true)]
    [InlineData("AWS_REGION", false)]
    [InlineData("BEDROCK_MODEL_ID", false)]
    public void Secret_looking_keys_are_recognised_by_name(string key, bool secret) =>
        Assert.Equal(secret, ConfigurationReport.LooksSecret(key));

    [Fact]
    public async Task Root_reports_the_image_version_and_commit_when_APP_VERSION_and_APP_COMMIT_are_set()
    {
        await using var app = await InProcessApp.StartAsync(new Dictionary<string, string?> { ["APP_VERSION"] = "3.4.5", ["APP_COMMIT"] = "0123abcd" });

        using var json = JsonDocument.Parse(await app.Client.GetStringAsync("/"));

        Assert.Equal("3.4.5", json.RootElement.GetProperty("version").GetString());
        Assert.Equal("0123abcd", json.RootElement.GetProperty("commit").GetString());
    }

    [Fact]
    public async Task Root_falls_back_to_the_version_baked_into_the_assembly_when_APP_VERSION_is_empty()
    {
        await using var app = await InProcessApp.StartAsync(new Dictionary<string, string?> { ["APP_VERSION"] = "", ["APP_COMMIT"] = " " });

        using var json = JsonDocument.Parse(await app.Client.GetStringAsync("/"));

        // The test build passes no -p:Version, so the project's default shows; the commit comes from SourceLink or is "unknown".
        Assert.Equal("0.0.0-local", json.RootElement.GetProperty("version").GetString());
        Assert.False(string.IsNullOrWhiteSpace(json.RootElement.GetProperty("commit").GetString()));
    }

    [Fact]
    public async Task Starts_and_answers_without_any_AWS_configuration()
    {
        await using var app = await InProcessApp.StartAsync();

        using var response = await app.Client.GetAsync("/");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var entry in json.RootElement.GetProperty("configuration").EnumerateObject())
            Assert.False(entry.Value.GetProperty("present").GetBoolean(), entry.Name);
    }

    [Fact]
    public async Task Healthz_answers_200_with_a_tiny_body()
    {
        await using var app = await InProcessApp.StartAsync();

        using var response = await app.Client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_path_answers_404()
    {
        await using var app = await InProcessApp.StartAsync();

        using var response = await app.Client.GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
