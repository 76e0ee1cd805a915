using CloudAge.Engine.Output;
using CloudAge.Engine.Tests.Fixtures;

namespace CloudAge.Engine.Tests;

/// <summary>
/// The engine's output under GITHUB_ACTIONS=true, read by <see cref="RunnerCommandReader"/> (a port of the runner's
/// parser): exactly the commands the engine means, with data and properties as written, and none from outside text.
/// </summary>
public sealed class GitHubProtocolTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public GitHubProtocolTests()
    {
        _harness.Environment["GITHUB_ACTIONS"] = "true";
        // Colour on, as on GitHub: a colour code before "::" would make a command plain text.
        _harness.Environment["FORCE_COLOR"] = "1";
    }

    public void Dispose() => _harness.Dispose();

    [Theory]
    [InlineData("plain")]
    [InlineData("100% done")]
    [InlineData("%0A is not a newline, %25 not a percent")]
    [InlineData("two\nlines\r\nand\rcarriage")]
    [InlineData("a:b,c=d ::e:: ##[f]")]
    public void Data_and_properties_reach_the_runner_exactly_as_written(string value)
    {
        var line = WorkflowCommands.Format("error", value, ("file", value), ("title", value), ("line", "7"));

        var command = Assert.Single(RunnerCommandReader.Read(line + "\n"));

        Assert.Equal("error", command.Name);
        Assert.Equal(value, command.Data);
        Assert.Equal(value, command.Property("file"));
        Assert.Equal(value, command.Property("title"));
        Assert.Equal("7", command.Property("line"));
    }

    // The yardstick itself, against actions/runner ActionCommand.TryParseV2 / TryParse and OutputManager under ICU: the
    // "::" and "##[" searches skip ignorable characters (a soft hyphen) and never end inside a grapheme cluster.
    [Theory]
    [InlineData("::add-mask:\u00AD:x", "add-mask", ":x")]
    [InlineData("   ::warning::indented", "warning", "indented")]
    [InlineData("see ##[error]legacy mid-line", "error", "legacy mid-line")]
    [InlineData("::WARNING::any case", "WARNING", "any case")]
    [InlineData("::error::\u0301 lost", null, null)]
    [InlineData("\u00AD::add-mask::x", null, null)]
    [InlineData("\u001b[33m::warning::coloured", null, null)]
    [InlineData("::unknown::x", null, null)]
    [InlineData("::add-mask", null, null)]
    public void The_reader_finds_commands_where_the_runner_does(string line, string? name, string? data)
    {
        var commands = RunnerCommandReader.Read(line + "\n");

        Assert.Equal(name, commands.SingleOrDefault()?.Name);
        Assert.Equal(data, commands.SingleOrDefault()?.Data);
    }

    [Fact]
    public void The_reader_takes_properties_from_the_data_when_a_combining_mark_hides_the_separator_as_the_runner_does()
    {
        var command = Assert.Single(RunnerCommandReader.Read("::error title=T::\u0301,file=evil.yml,line=9::fake\n"));

        Assert.Equal("evil.yml", command.Property("file"));
        Assert.Equal("fake", command.Data);
    }

    // Outside text (an Argo CD or registry message) that starts with a combining mark must not hide the separator and
    // smuggle properties into the annotation: the engine keeps the separator whole with a space.
    [Theory]
    [InlineData("\u0301,file=.github/workflows/deploy.yml,line=1::fake")]
    [InlineData("\u093F lost annotation")]
    [InlineData("\U0001F3FB::x")]
    public void Data_starting_with_a_combining_mark_keeps_its_command_and_properties(string value)
    {
        var line = WorkflowCommands.Format("error", value, ("file", "k8s/app.yaml"), ("title", "Target 'Deploy' failed"));

        var command = Assert.Single(RunnerCommandReader.Read(line + "\n"));

        Assert.Equal("error", command.Name);
        Assert.Equal("k8s/app.yaml", command.Property("file"));
        Assert.Equal("Target 'Deploy' failed", command.Property("title"));
        Assert.Null(command.Property("line"));
        Assert.Equal(" " + value, command.Data);
    }

    [Fact]
    public void Outside_text_never_becomes_a_command_and_every_command_starts_its_line_uncoloured()
    {
        var (exitCode, output) = _harness.Run(new HostileOutputBuild(), "--token", "s3cr3t-value");

        Assert.Equal(1, exitCode);
        var commands = RunnerCommandReader.Effective(RunnerCommandReader.Read(output));
        Assert.Equal(
            ["remove-matcher", "warning", "group", "endgroup", "group", "warning", "endgroup", "group", "error", "endgroup", "group", "error", "endgroup"],
            commands.Select(c => c.Name));
        // The secret given as a flag on a CI runner is warned about when the parameters are read, before any target.
        Assert.Equal("csc", commands[0].Property("owner"));
        Assert.Contains("the secret --token was given on the command line", commands[1].Data);
        Assert.Equal("50% done, " + HostileOutputBuild.Hostile, commands[5].Data);
        var problem = commands[8];
        Assert.Equal("k8s/a b,c:d%.yaml", problem.Property("file"));
        Assert.Equal("3", problem.Property("line"));
        Assert.Equal("5", problem.Property("col"));
        Assert.Equal("k8s/a b,c:d%.yaml:3:5: rule: bad\n::add-mask::x", problem.Data);
        var failure = commands[11];
        Assert.Equal("Target 'Fails' failed", failure.Property("title"));
        Assert.Equal(HostileOutputBuild.FailureStart + HostileOutputBuild.Hostile + " ***", failure.Data);
        var lines = output.Split('\n');
        Assert.All(RunnerCommandReader.Read(output), c => Assert.StartsWith("::", lines[c.Line - 1]));
        Assert.Contains("\u001b[", output);
        Assert.DoesNotContain("s3cr3t-value", output);
        // The text is still there for people to read, between the fences.
        Assert.Contains("Argo CD said: health: Degraded", output);
        Assert.Contains("::set-output name=x::y", output);
    }

    [Fact]
    public void The_summary_table_fences_a_failure_note_that_holds_a_legacy_command()
    {
        var (_, output) = _harness.Run(new HostileOutputBuild(), "Fails");

        var lines = output.Split('\n');
        var table = Array.FindIndex(lines, l => l.StartsWith("Target   Status", StringComparison.Ordinal)) + 1;
        Assert.Contains(lines.Skip(table), l => l.StartsWith("Fails", StringComparison.Ordinal) && l.Contains("##[set-output name=a]b", StringComparison.Ordinal));
        Assert.DoesNotContain(RunnerCommandReader.Effective(RunnerCommandReader.Read(output)), c => c.Line >= table);
    }

    [Fact]
    public void A_guessed_resume_token_does_not_end_the_fence()
    {
        var (_, output) = _harness.Run(new HostileOutputBuild(), "Informs");

        var all = RunnerCommandReader.Read(output);
        var stop = Assert.Single(all, c => c.Name == WorkflowCommands.StopCommands);
        Assert.Matches("^t[0-9a-f]{32}$", stop.Data);
        Assert.DoesNotContain(all, c => c.Name == "abc");
        Assert.Equal(["remove-matcher", "group", "stop-commands", stop.Data, "endgroup"], all.Select(c => c.Name));
    }

    [Fact]
    public void A_terminal_gets_the_text_as_it_is()
    {
        _harness.Environment.Remove("GITHUB_ACTIONS");
        var (_, output) = _harness.Run(new HostileOutputBuild(), "Informs");

        Assert.DoesNotMatch("stop-commands::t[0-9a-f]{32}", output);
        Assert.Contains("::add-mask::leak", output);
    }
}
