using System.Text.RegularExpressions;
using CloudAge.Testing;
using CloudAge.Workflows;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Build.Tests.Workflows;

/// <summary>
/// CloudAge's own workflows: the gate, the hardened deploy and the pins, read back as GitHub reads them. Generated from
/// the real build class (the generator's own tests in tests/CloudAge.Workflows.Tests use a sample of their own).
/// </summary>
public partial class CloudAgeWorkflowTests
{
    private static readonly IReadOnlyList<GeneratedFile> Files = new Build().GeneratedWorkflows();

    private static YamlMappingNode Workflow(string name)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(Files.Single(f => f.RelativePath == $".github/workflows/{name}.yml").Content));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlNode At(YamlNode node, params string[] path) =>
        path.Aggregate(node, (current, key) => ((YamlMappingNode)current).Children[new YamlScalarNode(key)]);

    private static string Text(YamlNode node, params string[] path) => ((YamlScalarNode)At(node, path)).Value!;

    private static bool Has(YamlNode node, string key) => ((YamlMappingNode)node).Children.ContainsKey(new YamlScalarNode(key));

    private static List<YamlMappingNode> Steps(string workflow, string job) =>
        ((YamlSequenceNode)At(Workflow(workflow), "jobs", job, "steps")).Cast<YamlMappingNode>().ToList();

    [Fact]
    public void Every_uses_in_generated_and_committed_workflows_is_a_full_commit_sha_with_its_version()
    {
        var committed = Directory.EnumerateFiles(Path.Combine(Prerequisites.RepositoryRoot(), ".github", "workflows"), "*.yml")
            .Select(f => new GeneratedFile(Path.GetFileName(f), File.ReadAllText(f)));

        var uses = Files.Concat(committed)
            .SelectMany(f => f.Content.Split('\n').Where(l => Regex.IsMatch(l, @"^\s*(- )?uses:")).Select(l => (f.RelativePath, Line: l.Trim())))
            .ToList();

        Assert.NotEmpty(uses);
        Assert.All(uses, u => Assert.True(PinnedUse().IsMatch(u.Line), $"{u.RelativePath}: '{u.Line}' is not pinned as 'owner/repo@<40 hex> # vX.Y.Z'."));
        Assert.All(PinnedActions.All, a => Assert.Matches("^[0-9a-f]{40}$", a.Commit));
    }

    [Fact]
    public void The_pull_request_workflow_compiles_tests_and_validates_on_a_prepared_runner_without_secrets()
    {
        var workflow = Workflow("pull-request");
        var steps = Steps("pull-request", "gate");

        Assert.Equal("main", ((YamlScalarNode)((YamlSequenceNode)At(workflow, "on", "pull_request", "branches"))[0]).Value);
        Assert.Equal("read", Text(workflow, "permissions", "contents"));
        Assert.Single(((YamlMappingNode)At(workflow, "permissions")).Children);
        Assert.Equal("exec ./build.sh Compile Test Validate --continue", Text(steps[^1], "run"));
        Assert.Equal("scripts/ci/prepare-test-runner.sh", Text(steps[^2], "run"));
        Assert.DoesNotContain("secrets.", Files.Single(f => f.RelativePath.EndsWith("pull-request.yml", StringComparison.Ordinal)).Content, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Prerequisites.RepositoryRoot(), "scripts", "ci", "prepare-test-runner.sh")));
    }

    [Fact]
    public void Build_and_push_tests_and_validates_before_pushing_one_run_at_a_time_with_the_push_role()
    {
        var workflow = Workflow("build-and-push");
        var steps = Steps("build-and-push", "build");

        // The real class passes --platforms; the copy this test once ran on did not, and nothing noticed.
        Assert.Equal("exec ./build.sh Test Validate PushEcr --platforms linux/amd64,linux/arm64", Text(steps[^1], "run"));
        Assert.Contains(steps, s => Has(s, "run") && Text(s, "run") == "scripts/ci/prepare-test-runner.sh");
        Assert.Equal("build-and-push", Text(workflow, "concurrency", "group"));
        // Pushes only: a run started by hand would replace a push run pending in the group, and deploy follows push runs.
        Assert.False(Has(At(workflow, "on"), "workflow_dispatch"));
        Assert.Equal("false", Text(workflow, "concurrency", "cancel-in-progress"));
        Assert.Equal("${{ vars.AWS_PUSH_ROLE_ARN }}", Text(steps.Single(s => Has(s, "if") && Text(s, "if") == "vars.AWS_PUSH_ROLE_ARN != ''"), "with", "role-to-assume"));
    }

    [Fact]
    public void Deploy_can_be_started_by_hand_with_a_commit_and_a_rollback_switch_passed_as_environment()
    {
        var workflow = Workflow("deploy");
        var inputs = At(workflow, "on", "workflow_dispatch", "inputs");
        var build = Steps("deploy", "deploy")[^1];

        Assert.Equal("string", Text(inputs, "commit", "type"));
        Assert.Equal("true", Text(inputs, "commit", "required"));
        Assert.Equal("boolean", Text(inputs, "allow-rollback", "type"));
        Assert.Equal("false", Text(inputs, "allow-rollback", "default"));
        Assert.Equal("exec ./build.sh Deploy", Text(build, "run"));
        Assert.Equal("${{ github.event.workflow_run.head_sha || inputs.commit }}", Text(build, "env", "COMMIT"));
        Assert.Equal("${{ inputs.allow-rollback == true }}", Text(build, "env", "ALLOW_ROLLBACK"));
        Assert.Equal("${{ github.token }}", Text(build, "env", "GIT_TOKEN"));
        Assert.Equal("${{ vars.AWS_DEPLOY_ROLE_ARN }}", Text(Steps("deploy", "deploy").Single(s => Has(s, "if") && Text(s, "if") == "vars.AWS_DEPLOY_ROLE_ARN != ''"), "with", "role-to-assume"));
        Assert.Equal("production", Text(workflow, "jobs", "deploy", "environment", "name"));
    }

    [Fact]
    public void No_checkout_keeps_the_token_and_no_run_line_splices_an_expression()
    {
        foreach (var (name, job) in new[] { ("pull-request", "gate"), ("build-and-push", "build"), ("deploy", "deploy") })
        {
            var steps = Steps(name, job);
            var checkout = steps.Single(s => Has(s, "uses") && Text(s, "uses").StartsWith("actions/checkout@", StringComparison.Ordinal));
            Assert.Equal("false", Text(checkout, "with", "persist-credentials"));
            Assert.All(steps.Where(s => Has(s, "run")), s => Assert.DoesNotContain("${{", Text(s, "run"), StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_deploy_secrets_belong_to_the_production_environment_and_the_push_keys_to_the_repository()
    {
        var references = WorkflowGenerator.ReferencedSecretsAndVariables(WorkflowDefinitions.FromType(typeof(Build)));

        Assert.Contains(references, r => r.Name == "ARGOCD_AUTH_TOKEN" && r.Where == "environment production");
        Assert.Contains(references, r => r.Name == "AWS_ACCESS_KEY_ID" && r.Where == "environment production" && r.Workflows.SequenceEqual(["deploy"]));
        Assert.Contains(references, r => r.Name == "AWS_ACCESS_KEY_ID" && r.Where == "repository" && r.Workflows.SequenceEqual(["build-and-push"]));
        Assert.DoesNotContain(references, r => r.Name == "GITHUB_TOKEN");
    }

    [GeneratedRegex(@"^(- )?uses: [A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[^@\s]+)?@[0-9a-f]{40} # v\d+\.\d+\.\d+$")]
    private static partial Regex PinnedUse();
}
