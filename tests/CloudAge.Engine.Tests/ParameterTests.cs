using CloudAge.Engine.Tests.Fixtures;

namespace CloudAge.Engine.Tests;

public sealed class ParameterTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private ParameterBuild Bind(params string[] args)
    {
        var build = new ParameterBuild();
        var (exitCode, output) = _harness.Run(build, ["Default"], [.. args, "--no-logo", "--verbosity", "quiet"]);
        Assert.True(exitCode == 0, output);
        return build;
    }

    [Fact]
    public void The_command_line_beats_the_environment_which_beats_the_files()
    {
        _harness.WriteParameters("parameters.json", """{ "$schema": "./build.schema.json", "Registry": "file:1", "ImageTag": "file-tag", "Retries": 7 }""");
        _harness.Environment["IMAGE_TAG"] = "env-tag";
        _harness.Environment["Registry"] = "env:1";

        var build = Bind("--registry", "cli:1");

        Assert.Equal("cli:1", build.Registry);
        Assert.Equal("env-tag", build.ImageTag);
        Assert.Equal(7, build.Retries);
    }

    [Fact]
    public void Environment_names_match_ignoring_case_separators_and_a_nuke_prefix()
    {
        _harness.Environment["nuke_image-TAG"] = "v1";
        _harness.Environment["EXTRA_TAGS"] = "a b  c";

        var build = Bind();

        Assert.Equal("v1", build.ImageTag);
        Assert.Equal(["a", "b", "c"], build.ExtraTags);
    }

    [Fact]
    public void A_profile_file_wins_over_parameters_json()
    {
        _harness.WriteParameters("parameters.json", """{ "Registry": "base", "Retries": 2 }""");
        _harness.WriteParameters("parameters.ci.json", """{ "Registry": "ci" }""");

        var build = Bind("--profile", "ci");

        Assert.Equal("ci", build.Registry);
        Assert.Equal(2, build.Retries);
    }

    [Fact]
    public void Values_convert_to_their_declared_types()
    {
        var build = Bind("--retries", "4", "--insecure", "--fail-on", "critical", "--extra-tags", "x", "y",
            "--labels=a,b", "--timeout", "1m30s", "--server", "https://argocd.example.com", "--output", "out/dir");

        Assert.Equal(4, build.Retries);
        Assert.True(build.Insecure);
        Assert.Equal(Severity.Critical, build.FailOn);
        Assert.Equal(["x", "y"], build.ExtraTags);
        Assert.Equal(["a", "b"], build.Labels);
        Assert.Equal(TimeSpan.FromSeconds(90), build.Timeout);
        Assert.Equal(new Uri("https://argocd.example.com"), build.Server);
        Assert.Equal(Path.Combine(_harness.Root, "out", "dir"), build.Output.Value);
    }

    [Theory]
    [InlineData("--retries", "many", "Parameter 'Retries' from the command line (--retries): 'many' is not valid. Expected a whole number such as 3.")]
    [InlineData("--fail-on", "severe", "Expected one of Low, Medium, High, Critical.")]
    [InlineData("--timeout", "soon", "Expected a duration greater than 0 and at most 24 hours, such as 90s, 5m, 1h30m or 00:05:00.")]
    [InlineData("--server", "argocd", "Expected an absolute URL (http://, https://, ssh://, file://) such as https://example.com.")]
    public void A_value_that_does_not_convert_names_the_parameter_and_the_accepted_values(string option, string value, string message)
    {
        var (exitCode, output) = _harness.Run(new ParameterBuild(), option, value);

        Assert.Equal(2, exitCode);
        Assert.Contains(message, output);
    }

    [Fact]
    public void An_unknown_option_suggests_the_closest_parameter()
    {
        var (exitCode, output) = _harness.Run(new ParameterBuild(), "--registy", "x");

        Assert.Equal(2, exitCode);
        Assert.Contains("Unknown option '--registy'. Did you mean '--registry'?", output);
    }

    [Fact]
    public void A_missing_required_value_fails_before_any_target_and_says_how_to_set_it()
    {
        var build = new ParameterBuild();

        var (exitCode, output) = _harness.Run(build, ["Default"], "Push", "Default");

        Assert.Equal(2, exitCode);
        Assert.Empty(build.Ran);
        Assert.Contains("Target 'Push' requires 'Registry': pass --registry <value>, the environment variable REGISTRY, or \"Registry\" in .nuke/parameters.json.", output);
    }

    [Fact]
    public void A_false_requirement_condition_is_reported_with_its_source_text()
    {
        var (exitCode, output) = _harness.Run(new ParameterBuild(), "Push", "--registry", "r", "--retries", "0");

        Assert.Equal(2, exitCode);
        Assert.Contains("Target 'Push' requires 'Retries > 0', which is false.", output);
    }

    [Fact]
    public void A_malformed_parameters_file_names_file_line_and_column()
    {
        _harness.WriteParameters("parameters.json", "{\n  \"Registry\": \"x\",\n  \"Retries\": oops\n}");

        var (exitCode, output) = _harness.Run(new ParameterBuild());

        Assert.Equal(2, exitCode);
        Assert.Matches(@"parameters\.json:3:\d+: not valid JSON", output);
    }

    [Fact]
    public void A_renamed_member_keeps_the_name_users_know_in_every_source()
    {
        _harness.WriteParameters("parameters.json", """{ "OldRepository": "from-file" }""");
        var fromFile = new RenamedParameterBuild();
        Assert.Equal(0, _harness.Run(fromFile, ["Default"], ["--no-logo", "--verbosity", "quiet"]).ExitCode);
        Assert.Equal("from-file", fromFile.Repository);

        _harness.Environment["OLD_REPOSITORY"] = "from-env";
        var fromEnvironment = new RenamedParameterBuild();
        Assert.Equal(0, _harness.Run(fromEnvironment, ["Default"], ["--no-logo", "--verbosity", "quiet"]).ExitCode);
        Assert.Equal("from-env", fromEnvironment.Repository);

        var fromFlag = new RenamedParameterBuild();
        Assert.Equal(0, _harness.Run(fromFlag, ["Default"], ["--old-repository", "from-flag", "--no-logo", "--verbosity", "quiet"]).ExitCode);
        Assert.Equal("from-flag", fromFlag.Repository);

        // The member's own name is not a second spelling.
        var (exitCode, output) = _harness.Run(new RenamedParameterBuild(), ["Default"], ["--repository", "x", "--no-logo"]);
        Assert.Equal(2, exitCode);
        Assert.Contains("--repository", output);
    }

    private sealed class RenamedParameterBuild : RecordingBuild
    {
        [Parameter("Repository", Name = "OldRepository")] public string Repository { get; init; } = "default";

        Target Default => _ => _.Executes(() => Record(nameof(Default)));
    }
}
