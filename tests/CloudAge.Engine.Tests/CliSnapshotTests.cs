using CloudAge.Engine.Output;
using CloudAge.Engine.Parameters;
using CloudAge.Engine.Planning;
using CloudAge.Engine.Tests.Fixtures;

namespace CloudAge.Engine.Tests;

/// <summary>Every human-facing output, compared with the files under Snapshots/ (UPDATE_SNAPSHOTS=1 rewrites them).</summary>
public sealed class CliSnapshotTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public CliSnapshotTests() => _harness.Environment["NO_COLOR"] = "1";

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void Help_lists_targets_with_dependencies_then_parameters()
    {
        var (exitCode, output) = _harness.Run(new PipelineBuild(), ["Compile"], "--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("  Compile (default) -> Restore, Lint", output);
        Snapshot.Match(output, "help");
    }

    [Fact]
    public void Help_lists_parameters_with_environment_names_and_marks_secrets()
    {
        var (exitCode, output) = _harness.Run(new ParameterBuild(), "--help");

        Assert.Equal(0, exitCode);
        Assert.Matches(@"--registry-password <text>\s+Registry password \[env REGISTRY_PASSWORD\] \[secret\]", output);
        Snapshot.Match(output, "help-parameters");
    }

    [Fact]
    public void Plan_prints_a_tree_and_writes_a_self_contained_html_picture()
    {
        var (exitCode, output) = _harness.Run(new PipelineBuild(), ["Compile"], "--plan", "Push");

        Assert.Equal(0, exitCode);
        Snapshot.Match(output, "plan-tree");
        var html = File.ReadAllText(Path.Combine(_harness.Root, ".nuke", "temp", "execution-plan.html"));
        Assert.Contains("<svg", html);
        Assert.Contains("class=\"node invoked\"", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("src=\"http", html);
        Assert.DoesNotContain("<link", html);
        Snapshot.Match(html, "plan-html");
    }

    [Fact]
    public void Plan_with_the_mermaid_format_prints_mermaid_text()
    {
        var (exitCode, output) = _harness.Run(new PipelineBuild(), ["Compile"], "--plan", "--format", "mermaid", "Push");

        Assert.Equal(0, exitCode);
        Assert.StartsWith("graph LR", output);
        Assert.Contains("  Push ==> Notify", output);
        Assert.Contains("  Test -.-> Publish", output);
        Assert.Contains("  Compile --> Publish", output);
        Snapshot.Match(output, "plan-mermaid");
    }

    [Fact]
    public void A_successful_run_ends_with_a_summary_table_and_one_final_line()
    {
        var (exitCode, output) = _harness.Run(new PipelineBuild(), ["Compile"], "--no-logo");

        Assert.Equal(0, exitCode);
        Assert.StartsWith("Build succeeded on ", output.TrimEnd().Split('\n')[^1]);
        Snapshot.Match(output, "summary-success");
    }

    [Fact]
    public void A_failed_run_shows_the_error_in_the_log_and_its_first_line_in_the_summary()
    {
        var (exitCode, output) = _harness.Run(new FailureBuild(), "--no-logo");

        Assert.Equal(1, exitCode);
        Snapshot.Match(output, "summary-failure");
    }

    [Fact]
    public void Bad_usage_prints_one_message_and_no_stack_trace()
    {
        var (exitCode, output) = _harness.Run(new PipelineBuild(), ["Compile"], "--verbosity", "loud");

        Assert.Equal(2, exitCode);
        Assert.Equal("--verbosity takes quiet, minimal, normal or verbose, not 'loud'.\n", output);
    }

    [Fact]
    public void The_schema_lists_targets_as_an_enum_and_every_parameter()
    {
        var targets = TargetFactory.Create(new ParameterBuild());
        var schema = SchemaWriter.Create(targets, ParameterDescriptor.For(typeof(ParameterBuild)));

        Assert.Contains("\"enum\": [\n        \"Default\",\n        \"Push\"", schema.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Contains("\"RegistryPassword\"", schema);
        Assert.Contains("\"Critical\"", schema);
        Snapshot.Match(schema, "schema");
    }
}
