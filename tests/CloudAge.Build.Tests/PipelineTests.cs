using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CloudAge.Build.Tests.Fixtures;
using CloudAge.Testing;

namespace CloudAge.Build.Tests;

/// <summary>
/// ./build.sh DockerBuild PushEcr end to end, as a user runs it, for linux/amd64 and linux/arm64: the real Docker engine,
/// moto as the ECR API, the CNCF registry with htpasswd auth as the registry and QEMU (binfmt_misc) to run the arm64
/// image. Restore and Compile are skipped because the test run itself has just compiled the solution (and rebuilding
/// it under a running test host would replace its files).
/// </summary>
public sealed class PipelineTests(PipelineServers servers) : IClassFixture<PipelineServers>
{
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRETzz";
    private static readonly string Root = Prerequisites.RepositoryRoot();

    private (int ExitCode, string Output) BuildSh(string repository) =>
        ProcessHelper.Run("bash", string.Join(' ', "build.sh", "DockerBuild", "PushEcr", "--skip", "Restore", "Compile", "--no-logo",
            "--registry", $"127.0.0.1:{servers.RegistryPort}", "--ecr-endpoint", $"http://127.0.0.1:{servers.MotoPort}",
            "--aws-region", "us-east-1", "--ecr-repository", repository, "--scanner", "none",
            "--base-image", "cloudage-local/runtime-deps-e2e:10.0"), Root, Environment(), timeoutSeconds: 900);

    private static Dictionary<string, string> Environment() => new()
    {
        ["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE",
        ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
        ["AWS_EC2_METADATA_DISABLED"] = "true",
        ["NO_COLOR"] = "1",
        ["GITHUB_ACTIONS"] = "false",
    };

    [IntegrationFact(Needs.Docker | Needs.Registry | Needs.Htpasswd | Needs.Moto)]
    public async Task PushEcr_pushes_both_platforms_as_one_index_with_sbom_and_provenance_and_a_second_push_uploads_nothing()
    {
        var made = ProcessHelper.Run("bash", "scripts/make-local-base-image.sh cloudage-local/runtime-deps-e2e:10.0", Root);
        Assert.True(made.ExitCode == 0, made.Output);
        Assert.Contains("cloudage-local/runtime-deps-e2e:10.0-arm64", made.Output);
        var repository = "cloudage-e2e-" + Guid.NewGuid().ToString("N")[..8];
        using var images = new LocalImages(repository);

        var first = BuildSh(repository);
        var firstImage = await File.ReadAllTextAsync(Path.Combine(Root, "artifacts", "image.json"));
        var second = BuildSh(repository);

        Assert.True(first.ExitCode == 0, first.Output);
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains($"repository {repository} is Mutable", first.Output);
        Assert.Matches(@"; [1-9][0-9]* bytes uploaded\.", first.Output);
        Assert.Contains("; 0 bytes uploaded.", second.Output);
        // Said once, by the pusher (the target used to repeat it in other words).
        Assert.Single(first.Output.Split('\n'), l => l.Contains("Pushed ", StringComparison.Ordinal) && l.Contains("bytes uploaded", StringComparison.Ordinal));

        using var image = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Root, "artifacts", "image.json")));
        using var firstJson = JsonDocument.Parse(firstImage);
        var digest = image.RootElement.GetProperty("digest").GetString()!;
        Assert.Equal(firstJson.RootElement.GetProperty("digest").GetString(), digest);
        var tags = image.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToList();
        Assert.Contains(tags, t => t.StartsWith("sha-", StringComparison.Ordinal));
        var platforms = image.RootElement.GetProperty("platforms").EnumerateArray()
            .Select(p => (Platform: p.GetProperty("platform").GetString()!, Digest: p.GetProperty("digest").GetString()!)).ToList();
        Assert.Equal(["linux/amd64", "linux/arm64"], platforms.Select(p => p.Platform));

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"AWS:{PipelineServers.EcrPassword}")));
        var listed = await http.GetStringAsync($"http://127.0.0.1:{servers.RegistryPort}/v2/{repository}/tags/list");
        Assert.All(tags, tag => Assert.Contains($"\"{tag}\"", listed));
        // Every tag resolves to the index; the index lists both platform manifests, and each resolves by digest.
        var (indexType, indexBody, indexDigest) = await GetManifest(http, repository, tags[^1]);
        Assert.Equal("application/vnd.oci.image.index.v1+json", indexType);
        Assert.Equal(digest, indexDigest);
        using var index = JsonDocument.Parse(indexBody);
        var entries = index.RootElement.GetProperty("manifests").EnumerateArray().ToList();
        Assert.Equal(2, entries.Count);
        Assert.Equal(platforms.Select(p => p.Digest), entries.Select(e => e.GetProperty("digest").GetString()));
        Assert.Equal(["amd64", "arm64"], entries.Select(e => e.GetProperty("platform").GetProperty("architecture").GetString()));
        Assert.All(entries, e => Assert.Equal("linux", e.GetProperty("platform").GetProperty("os").GetString()));
        foreach (var (_, platformDigest) in platforms)
            Assert.Equal(platformDigest, (await GetManifest(http, repository, platformDigest)).Digest);

        // The SBOM and the provenance hang off the index through the referrers tag (distribution 2.8 has no referrers API).
        var (_, referrersBody, _) = await GetManifest(http, repository, digest.Replace(':', '-'));
        using var referrers = JsonDocument.Parse(referrersBody);
        Assert.Equal(["application/vnd.cyclonedx+json", "application/vnd.in-toto+json"],
            referrers.RootElement.GetProperty("manifests").EnumerateArray().Select(m => m.GetProperty("artifactType").GetString()).Order());
        // --aws-endpoint, the name the pushes above use the alias of, selects ECR's login for Inspect too.
        var inspect = ProcessHelper.Run("bash", string.Join(' ', "build.sh", "Inspect", "--no-logo", "--image", $"127.0.0.1:{servers.RegistryPort}/{repository}:{tags[^1]}",
            "--aws-endpoint", $"http://127.0.0.1:{servers.MotoPort}", "--aws-region", "us-east-1"), Root, Environment(), timeoutSeconds: 300);
        Assert.True(inspect.ExitCode == 0, inspect.Output);
        Assert.Contains("platform linux/amd64: " + platforms[0].Digest, inspect.Output);
        Assert.Contains("platform linux/arm64: " + platforms[1].Digest, inspect.Output);
        Assert.Matches(@"SBOM sha256:[0-9a-f]{12}: CycloneDX, [0-9]+ components", inspect.Output);
        Assert.Contains($"SLSA v1 for 127.0.0.1:{servers.RegistryPort}/{repository}@{digest}", inspect.Output);

        var everything = first.Output + second.Output + inspect.Output + await File.ReadAllTextAsync(Path.Combine(Root, "artifacts", "image.json"));
        Assert.DoesNotContain(SecretKey, everything);
        Assert.DoesNotContain(PipelineServers.EcrPassword, everything);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes($"AWS:{PipelineServers.EcrPassword}")), everything);

        // The arm64 image runs under QEMU (binfmt_misc) and answers its probe.
        var shaTag = tags.First(t => t.StartsWith("sha-", StringComparison.Ordinal));
        await AssertAnswersUnderQemu($"{repository}:{shaTag}-arm64");
    }

    private static async Task AssertAnswersUnderQemu(string image)
    {
        var name = "cloudage-e2e-arm64-" + Guid.NewGuid().ToString("N")[..8];
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var run = ProcessHelper.Run("docker", $"run -d --name {name} --platform linux/arm64 -e DOTNET_EnableWriteXorExecute=0 --sysctl net.ipv4.ip_unprivileged_port_start=0 -p 127.0.0.1:{port}:80 {image}", Root);
        try
        {
            Assert.True(run.ExitCode == 0, run.Output);
            var architecture = ProcessHelper.Run("docker", $"image inspect --format {{{{.Architecture}}}} {image}", Root).Output.Trim();
            Assert.Equal("arm64", architecture);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var deadline = DateTime.UtcNow.AddMinutes(3);
            string? answer = null;
            while (answer is null && DateTime.UtcNow < deadline)
            {
                try
                {
                    answer = await http.GetStringAsync($"http://127.0.0.1:{port}/healthz");
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    await Task.Delay(1000);
                }
            }
            Assert.True(answer == "ok", $"The arm64 container did not answer /healthz within 3 minutes; its log:\n{ProcessHelper.Run("docker", $"logs {name}", Root).Output}");
        }
        finally
        {
            ProcessHelper.Run("docker", $"rm -f {name}", Root);
        }
    }

    private async Task<(string? Type, byte[] Body, string Digest)> GetManifest(HttpClient http, string repository, string reference)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{servers.RegistryPort}/v2/{repository}/manifests/{reference}");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.index.v1+json");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"GET manifest {repository}:{reference} answered {(int)response.StatusCode}");
        var body = await response.Content.ReadAsByteArrayAsync();
        return (response.Content.Headers.ContentType?.MediaType, body, "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body)));
    }
}
