using System.Net;
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
        Assert.Contains("- `image-tag`: <code>sha-abc1234</code>", summary);
    }

    // GitHub renders the step summary as Markdown with HTML: outside text must show as written, inside its cell.
    [Fact]
    public void Outside_text_in_the_step_summary_shows_as_written_and_never_as_markup()
    {
        const string token = "pa|ss_w&rd*";
        var (exitCode, _) = _harness.Run(new SummaryHostileBuild(), "--token", token);

        Assert.Equal(1, exitCode);
        var summary = File.ReadAllText(_harness.Environment["GITHUB_STEP_SUMMARY"]);
        var row = Assert.Single(summary.Split('\n'), l => l.StartsWith("| Fails |", StringComparison.Ordinal));
        // Five '|' delimit the four cells; nothing in the note can split, end or hide the row.
        Assert.Equal(5, row.Count(c => c == '|'));
        var note = row.Split('|')[4].Trim();
        Assert.DoesNotContain(note, c => c is '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '$');
        Assert.Equal(SummaryHostileBuild.Hostile + " ***", WebUtility.HtmlDecode(note));
        var output = Assert.Single(summary.Split('\n'), l => l.StartsWith("- `app-url`: ", StringComparison.Ordinal));
        Assert.Equal("- `app-url`: <code>" + SummaryHostileBuild.OutputValue + "</code>", WebUtility.HtmlDecode(output));
        Assert.DoesNotContain("`y", output);
        // Redacted before it is escaped: escaped, the secret would no longer match the masker.
        Assert.DoesNotContain("ss_w&rd", WebUtility.HtmlDecode(summary));
    }

    [Fact]
    public void A_long_failure_note_is_cut_in_the_step_summary_with_a_note_that_says_so()
    {
        var (exitCode, _) = _harness.Run(new SummaryHostileBuild(), "Verbose");

        Assert.Equal(1, exitCode);
        var row = Assert.Single(File.ReadAllText(_harness.Environment["GITHUB_STEP_SUMMARY"]).Split('\n'), l => l.StartsWith("| Verbose |", StringComparison.Ordinal));
        Assert.EndsWith(new string('x', 500) + " … (cut; the whole text is in the log) |", row);
        Assert.True(row.Length < 1000, row);
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
