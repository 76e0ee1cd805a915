using System.Net;
using System.Text.Json;
using CloudAge.Build.Tests.Fixtures;

namespace CloudAge.Build.Tests;

/// <summary>
/// The real build's output under GITHUB_ACTIONS=true, read by <see cref="RunnerCommandReader"/> (a port of the runner's
/// parser, actions/runner ActionCommand.cs and ActionCommandManager.cs): exactly the commands meant, the annotation on
/// the file and line, and nothing injected by text from a file or a server.
/// </summary>
public sealed class GitHubOutputTests
{
    private static readonly string Root = Prerequisites.RepositoryRoot();

    private static Dictionary<string, string> GitHubEnvironment() => new()
    {
        ["GITHUB_ACTIONS"] = "true",
        // Colour on, as GitHub's runners have it: a colour code before "::" would turn a command into text.
        ["FORCE_COLOR"] = "1",
    };

    [Fact]
    public void A_failing_Validate_annotates_the_file_and_line_and_the_manifests_text_stays_data()
    {
        using var repository = new GateRepository(Root);
        repository.BreakDeployment();

        var (exitCode, output) = repository.RunInProcess(GitHubEnvironment(), "Validate");

        Assert.Equal(1, exitCode);
        var commands = RunnerCommandReader.Read(output);
        // First, setup-dotnet's compiler matcher is removed (GitHubActionsHost.Start).
        Assert.Equal(["remove-matcher", "group", "error", "error", "endgroup"], commands.Select(c => c.Name));
        commands = commands.Skip(1).ToList();
        Assert.Equal("Validate", commands[0].Data);
        var annotation = commands[1];
        Assert.Equal("k8s/deployment.yaml", annotation.Property("file"));
        Assert.Equal(repository.BrokenLine.ToString(System.Globalization.CultureInfo.InvariantCulture), annotation.Property("line"));
        Assert.Equal("3", annotation.Property("col"));
        Assert.StartsWith($"k8s/deployment.yaml:{repository.BrokenLine}:3: k8s-strict-schema: ", annotation.Data);
        Assert.Contains(GateRepository.HostileKey, annotation.Data);
        Assert.Equal("Target 'Validate' failed", commands[2].Property("title"));
        Assert.StartsWith("1 manifest problem(s) and 0 drifted workflow file(s).", commands[2].Data);
        var lines = output.Split('\n');
        Assert.All(commands, c => Assert.StartsWith("::", lines[c.Line - 1]));
    }

    [Fact]
    public void A_failing_ArgoSync_reports_the_servers_answer_without_running_what_it_holds()
    {
        const string hostile = "permission denied\n::add-mask::s3cr3t\r::set-output name=image::evil\n##[warning]fake ::error file=x::y";
        using var argo = new LoopbackServer(HttpStatusCode.Forbidden, "application/json", JsonSerializer.Serialize(new { error = hostile, code = 7, message = hostile }));
        var environment = GitHubEnvironment();
        environment["ARGOCD_AUTH_TOKEN"] = "argo-token-0123456789";

        // A clone of its own: ArgoSync without BumpTag waits for the remote branch head (git ls-remote origin main).
        using var repository = new GateRepository(Root);
        repository.UseItselfAsOrigin();

        var output = new StringWriter();
        var exitCode = CloudAge.Engine.Execution.BuildRunner.Run(new Build(),
            ["ArgoSync", "--skip", "BumpTag", "--argocd-server", $"http://127.0.0.1:{argo.Port}", "--no-logo", "--root", repository.Root],
            new CloudAge.Engine.Execution.RunContext(environment, output, repository.Root), ["Compile"]);
        var text = output.ToString();

        Assert.Equal(1, exitCode);
        Assert.Contains(argo.Requests, r => r.StartsWith("GET /api/v1/applications/cloudage-app", StringComparison.Ordinal));
        var commands = RunnerCommandReader.Effective(RunnerCommandReader.Read(text));
        Assert.Equal(["remove-matcher", "group", "error", "endgroup"], commands.Select(c => c.Name));
        commands = commands.Skip(1).ToList();
        Assert.Equal("ArgoSync", commands[0].Data);
        Assert.Equal("Target 'ArgoSync' failed", commands[1].Property("title"));
        Assert.Contains("403 Forbidden", commands[1].Data);
        // A peer's text is printed on one line (PeerText): its newlines arrive escaped, never as lines of their own.
        Assert.Contains(CloudAge.Common.Text.PeerText.OneLine(hostile), commands[1].Data);
        // The failure is also printed as text for people, fenced so the runner reads none of it.
        Assert.Contains("::add-mask::s3cr3t", text);
        Assert.Contains(RunnerCommandReader.Read(text), c => c.Name == "stop-commands");
        Assert.DoesNotContain("argo-token-0123456789", text);
    }
}
