using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CloudAge.Build.Tests.Fixtures;

namespace CloudAge.Build.Tests;

/// <summary>
/// The CI invocation `./build.sh Test Validate PushEcr` gates the image: Test and Validate run before DockerBuild,
/// a failure means nothing reaches the registry, and a plain `./build.sh PushEcr` schedules neither.
/// </summary>
public sealed class GateTests(PipelineServers servers) : IClassFixture<PipelineServers>
{
    private static readonly string Root = Prerequisites.RepositoryRoot();

    private static List<string> PlannedOrder(GateRepository repository, params string[] targets)
    {
        var (exitCode, output) = repository.RunInProcess(new Dictionary<string, string> { ["NO_COLOR"] = "1" }, ["--plan", .. targets]);
        Assert.True(exitCode == 0, output);
        return output.Split('\n').Select(l => System.Text.RegularExpressions.Regex.Match(l, @"^\s+\d+\. (\w+)")).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
    }

    [Fact]
    public void The_ci_invocation_plans_Test_and_Validate_before_DockerBuild_and_a_plain_PushEcr_plans_neither()
    {
        using var repository = new GateRepository(Root);

        var ci = PlannedOrder(repository, "Test", "Validate", "PushEcr");
        var laptop = PlannedOrder(repository, "PushEcr");
        var (_, mermaid) = repository.RunInProcess(new Dictionary<string, string> { ["NO_COLOR"] = "1" }, "--plan", "--format", "mermaid", "Test", "Validate", "PushEcr");

        Assert.True(ci.IndexOf("Test") >= 0 && ci.IndexOf("Test") < ci.IndexOf("DockerBuild"), string.Join(", ", ci));
        Assert.True(ci.IndexOf("Validate") >= 0 && ci.IndexOf("Validate") < ci.IndexOf("DockerBuild"), string.Join(", ", ci));
        // Ordering edges, so --parallel waits for them too, not only the sequential order.
        Assert.Contains("Test -.-> DockerBuild", mermaid);
        Assert.Contains("Validate -.-> DockerBuild", mermaid);
        Assert.DoesNotContain("Test", laptop);
        Assert.DoesNotContain("Validate", laptop);
        Assert.Contains("PushEcr", laptop);
    }

    // Restore, Compile, Test, Publish and Sbom of the real solution are the test run's own job; the image context (one platform) is prepared here.
    private (int ExitCode, string Output) RunCi(GateRepository repository, string imageRepository, string summary) =>
        RunCi(repository, imageRepository, summary, "Restore", "Compile", "Test", "Publish", "Sbom");

    private (int ExitCode, string Output) RunCi(GateRepository repository, string imageRepository, string summary, params string[] skipped) =>
        RunCi(repository, imageRepository, summary, [], skipped);

    // The build program in its own process and environment: the real Docker engine, registry and moto.
    private (int ExitCode, string Output) RunCi(GateRepository repository, string imageRepository, string summary, string[] extra, params string[] skipped) =>
        ProcessHelper.Run("dotnet", string.Join(' ', [BuildProgram.Dll(),
            "Test", "Validate", "PushEcr", .. extra, "--root", repository.Root, "--no-logo",
            "--skip", string.Join(' ', skipped), "--platforms", "linux/amd64",
            "--registry", $"127.0.0.1:{servers.RegistryPort}", "--ecr-endpoint", $"http://127.0.0.1:{servers.MotoPort}",
            "--aws-region", "us-east-1", "--ecr-repository", imageRepository, "--scanner", "none",
            "--base-image", "cloudage-local/runtime-deps:10.0"]), repository.Root, new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE",
            ["AWS_SECRET_ACCESS_KEY"] = "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",
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_STEP_SUMMARY"] = summary,
            ["NO_COLOR"] = "1",
        }, timeoutSeconds: 600);

    private async Task<HttpStatusCode> TagListStatus(string imageRepository)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"AWS:{PipelineServers.EcrPassword}")));
        using var response = await http.GetAsync($"http://127.0.0.1:{servers.RegistryPort}/v2/{imageRepository}/tags/list");
        return response.StatusCode;
    }

    /// <summary>
    /// Validate is declared after PushEcr, so without DockerBuild's After(Test, Validate) the image would be built and
    /// pushed before the broken manifest fails the run. The same repository, repaired, pushes: the gate is what stopped it.
    /// </summary>
    [IntegrationFact(Needs.Docker | Needs.Registry | Needs.Htpasswd | Needs.Moto)]
    public async Task A_failing_gate_pushes_nothing_and_the_repaired_run_pushes_and_summarises_the_image()
    {
        ProcessHelper.Run("bash", "scripts/make-local-base-image.sh cloudage-local/runtime-deps:10.0", Root);
        using var repository = new GateRepository(Root);
        var context = Path.Combine(repository.Root, "artifacts", "publish", "linux-x64");
        Directory.CreateDirectory(context);
        File.WriteAllText(Path.Combine(context, "Dockerfile"), "ARG BASE_IMAGE=cloudage-local/runtime-deps:10.0\nFROM ${BASE_IMAGE}\nCOPY hello.txt /hello.txt\n");
        File.WriteAllText(Path.Combine(context, "hello.txt"), "gate test\n");
        var imageRepository = "cloudage-gate-" + Guid.NewGuid().ToString("N")[..8];
        using var images = new LocalImages(imageRepository);
        var summary = Path.Combine(repository.Root, "summary.md");
        var deployment = Path.Combine(repository.Root, "k8s", "deployment.yaml");
        var good = File.ReadAllText(deployment);
        repository.BreakDeployment();

        var failed = RunCi(repository, imageRepository, summary);
        var afterFailure = await TagListStatus(imageRepository);
        File.WriteAllText(deployment, good);
        var repaired = RunCi(repository, imageRepository, summary);
        var afterRepair = await TagListStatus(imageRepository);

        Assert.True(afterFailure == HttpStatusCode.NotFound, "The registry holds the image of a failed gate:\n" + failed.Output);
        Assert.True(failed.ExitCode == 1, failed.Output);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(failed.Output, @"(?m)^Validate\s+Failed"), failed.Output);
        Assert.Matches(@"(?m)^DockerBuild\s+NotRun", failed.Output);
        Assert.Matches(@"(?m)^PushEcr\s+NotRun", failed.Output);
        Assert.Contains(RunnerCommandReader.Read(failed.Output), c => c.Name == "error" && c.Property("file") == "k8s/deployment.yaml");
        Assert.True(repaired.ExitCode == 0, repaired.Output);
        Assert.Equal(HttpStatusCode.OK, afterRepair);
        var markdown = File.ReadAllText(summary);
        Assert.Contains($"- `image-uri`: <code>127.0.0.1:{servers.RegistryPort}/{imageRepository}</code>", markdown);
        Assert.Matches(@"- `image-digest`: <code>sha256:[0-9a-f]{64}</code>", markdown);
        Assert.Contains("- `scan-result`: <code>not scanned (--scanner none)</code>", markdown);
    }

    [IntegrationFact(Needs.Docker | Needs.Registry | Needs.Htpasswd | Needs.Moto)]
    public async Task A_failing_unit_test_pushes_nothing()
    {
        using var repository = new GateRepository(Root);
        repository.AddFailingTestSolution();
        var imageRepository = "cloudage-redtest-" + Guid.NewGuid().ToString("N")[..8];
        using var images = new LocalImages(imageRepository);

        // Restore, Compile and Test run for real on the repository's one-test solution; the test fails.
        var failed = RunCi(repository, imageRepository, Path.Combine(repository.Root, "summary.md"), "Publish", "Sbom");

        Assert.True(failed.ExitCode == 1, failed.Output);
        Assert.Matches(@"(?m)^Test\s+Failed", failed.Output);
        Assert.Matches(@"(?m)^DockerBuild\s+NotRun", failed.Output);
        Assert.Matches(@"(?m)^PushEcr\s+NotRun", failed.Output);
        Assert.Equal(HttpStatusCode.NotFound, await TagListStatus(imageRepository));
    }

    /// <summary>
    /// --continue goes on past a failed target, and DockerBuild is only ordered after Validate: without its gate it
    /// would build the failed commit's image and PushEcr push it. It fails instead, so PushEcr and the deploy do not run.
    /// </summary>
    [IntegrationFact(Needs.Docker | Needs.Registry | Needs.Htpasswd | Needs.Moto)]
    public async Task With_continue_a_failed_Validate_still_stops_the_image_and_the_push()
    {
        using var repository = new GateRepository(Root);
        var imageRepository = "cloudage-continue-" + Guid.NewGuid().ToString("N")[..8];
        using var images = new LocalImages(imageRepository);
        repository.BreakDeployment();

        var failed = RunCi(repository, imageRepository, Path.Combine(repository.Root, "summary.md"), ["--continue"], "Restore", "Compile", "Test", "Publish", "Sbom");

        Assert.True(failed.ExitCode == 1, failed.Output);
        Assert.Matches(@"(?m)^Validate\s+Failed", failed.Output);
        Assert.Matches(@"(?m)^DockerBuild\s+Failed\s+.*Validate failed in this run", failed.Output);
        Assert.Matches(@"(?m)^PushEcr\s+NotRun", failed.Output);
        Assert.Equal(HttpStatusCode.NotFound, await TagListStatus(imageRepository));
    }
}
