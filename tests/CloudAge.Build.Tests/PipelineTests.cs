using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CloudAge.Build.Tests.Fixtures;
using CloudAge.Testing;

namespace CloudAge.Build.Tests;

/// <summary>
/// ./build.sh DockerBuild PushEcr end to end, as a user runs it: the real Docker engine, moto as the ECR API and the
/// CNCF registry with htpasswd auth as the registry. Restore and Compile are skipped because the test run itself has
/// just compiled the solution (and rebuilding it under a running test host would replace its files).
/// </summary>
public sealed class PipelineTests(PipelineServers servers) : IClassFixture<PipelineServers>
{
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRETzz";
    private static readonly string Root = Prerequisites.RepositoryRoot();

    private (int ExitCode, string Output) BuildSh(string repository) =>
        ProcessHelper.Run("bash", string.Join(' ', "build.sh", "DockerBuild", "PushEcr", "--skip", "Restore", "Compile", "--no-logo",
            "--registry", $"127.0.0.1:{servers.RegistryPort}", "--ecr-endpoint", $"http://127.0.0.1:{servers.MotoPort}",
            "--aws-region", "us-east-1", "--ecr-repository", repository, "--scanner", "none",
            "--base-image", "cloudage-local/runtime-deps:10.0"), Root, new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE",
            ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["NO_COLOR"] = "1",
            ["GITHUB_ACTIONS"] = "false",
        }, timeoutSeconds: 600);

    [IntegrationFact(Needs.Docker | Needs.Registry | Needs.Htpasswd | Needs.Moto)]
    public async Task PushEcr_creates_the_repository_pushes_every_tag_and_a_second_push_uploads_nothing()
    {
        ProcessHelper.Run("bash", "scripts/make-local-base-image.sh cloudage-local/runtime-deps:10.0", Root);
        var repository = "cloudage-e2e-" + Guid.NewGuid().ToString("N")[..8];

        var first = BuildSh(repository);
        var second = BuildSh(repository);

        Assert.True(first.ExitCode == 0, first.Output);
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains($"repository {repository} is Mutable", first.Output);
        Assert.Contains("; 0 layer bytes uploaded.", second.Output);

        using var image = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Root, "artifacts", "image.json")));
        var digest = image.RootElement.GetProperty("digest").GetString()!;
        var tags = image.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToList();
        Assert.Contains(tags, t => t.StartsWith("sha-", StringComparison.Ordinal));
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"AWS:{PipelineServers.EcrPassword}")));
        var listed = await http.GetStringAsync($"http://127.0.0.1:{servers.RegistryPort}/v2/{repository}/tags/list");
        Assert.All(tags, tag => Assert.Contains($"\"{tag}\"", listed));
        using var request = new HttpRequestMessage(HttpMethod.Head, $"http://127.0.0.1:{servers.RegistryPort}/v2/{repository}/manifests/{tags[^1]}");
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        using var response = await http.SendAsync(request);
        Assert.Equal(digest, response.Headers.GetValues("Docker-Content-Digest").Single());

        var everything = first.Output + second.Output + await File.ReadAllTextAsync(Path.Combine(Root, "artifacts", "image.json"));
        Assert.DoesNotContain(SecretKey, everything);
        Assert.DoesNotContain(PipelineServers.EcrPassword, everything);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes($"AWS:{PipelineServers.EcrPassword}")), everything);
    }
}
