using CloudAge.Engine.Tests.Fixtures;

namespace CloudAge.Engine.Tests;

public sealed class GitHubActionsTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public GitHubActionsTests()
    {
        _harness.Environment["GITHUB_ACTIONS"] = "true";
        _harness.Environment["GITHUB_OUTPUT"] = Path.Combine(_harness.Root, "github-output");
        _harness.Environment["GITHUB_STEP_SUMMARY"] = Path.Combine(_harness.Root, "step-summary.md");
    }

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void Each_target_is_a_group_and_a_failure_is_an_error_annotation()
    {
        var (exitCode, output) = _harness.Run(new FailureBuild());

        Assert.Equal(1, exitCode);
        Assert.Contains("::group::Setup", output);
        Assert.Contains("::endgroup::", output);
        Assert.Contains("::error title=Target 'Breaks' failed::the registry said no%0Asecond line", output);
    }

    [Fact]
    public void Target_outputs_go_to_GITHUB_OUTPUT_and_the_summary_to_GITHUB_STEP_SUMMARY()
    {
        var (exitCode, _) = _harness.Run(new ParameterBuild(), "Outputs", "--image-tag", "sha-abc1234");

        Assert.Equal(0, exitCode);
        var outputs = File.ReadAllText(_harness.Environment["GITHUB_OUTPUT"]);
        Assert.Matches(@"image-tag<<(EOF_\w+)\nsha-abc1234\n\1\n", outputs);
        var summary = File.ReadAllText(_harness.Environment["GITHUB_STEP_SUMMARY"]);
        Assert.Contains("| Outputs | ✅ Succeeded |", summary);
        Assert.Contains("- `image-tag`: `sha-abc1234`", summary);
    }

    [Fact]
    public void The_run_first_removes_setup_dotnets_compiler_matcher_so_printed_text_cannot_become_an_annotation()
    {
        var (exitCode, output) = _harness.Run(new PipelineBuild(), ["Restore"], "Restore");

        Assert.Equal(0, exitCode);
        // Problem matchers apply even inside a stop-commands fence (actions/runner OutputManager): the csc matcher that
        // actions/setup-dotnet adds is removed before anything else is printed.
        Assert.StartsWith("::remove-matcher owner=csc::", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failure_before_any_target_ran_is_an_error_annotation()
    {
        var (exitCode, output) = _harness.Run(new PipelineBuild(), ["Restore"], "Nope");

        Assert.Equal(2, exitCode);
        var annotation = Assert.Single(output.Split('\n'), l => l.StartsWith("::error ", StringComparison.Ordinal));
        Assert.StartsWith("::error title=The build could not start::Target with name 'Nope' does not exist", annotation, StringComparison.Ordinal);
    }

    [Fact]
    public void NO_COLOR_turns_colour_off_even_on_GitHub_Actions()
    {
        var (_, coloured) = _harness.Run(new PipelineBuild(), ["Restore"], "Restore");
        _harness.Environment["NO_COLOR"] = "1";
        var (_, plain) = _harness.Run(new PipelineBuild(), ["Restore"], "Restore");

        Assert.Contains("\u001b[", coloured);
        Assert.DoesNotContain("\u001b[", plain);
    }
}
