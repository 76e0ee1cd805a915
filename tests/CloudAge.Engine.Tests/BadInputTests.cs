using CloudAge.Common.Errors;
using CloudAge.Engine.Tests.Fixtures;

namespace CloudAge.Engine.Tests;

/// <summary>A build with one parameter of every bindable type, and each validation attribute.</summary>
public sealed class TypedBuild : RecordingBuild
{
    [Parameter("A commit"), Pattern("[0-9a-f]{7,40}", "a commit sha of 7 to 40 hex digits, such as 3f2a9c1")] public string? Commit { get; init; }
    [Parameter("How many")] public int Count { get; init; } = 1;
    [Parameter("A port"), Between(1, 65535)] public int Port { get; init; } = 80;
    [Parameter("A switch")] public bool Switch { get; init; }
    [Parameter("A level")] public Severity Level { get; init; } = Severity.High;
    [Parameter("How long")] public TimeSpan SyncTimeout { get; init; } = TimeSpan.FromMinutes(10);
    [Parameter("A server")] public Uri? Server { get; init; }
    [Parameter("An engine"), UriSchemes("unix:///var/run/docker.sock", "unix", "tcp")] public Uri? DockerHost { get; init; }
    [Parameter("A folder")] public AbsolutePath Output { get; init; }
    [Parameter("Tags")] public string[] Tags { get; init; } = [];
    [Parameter("Ports")] public int[] Ports { get; init; } = [];
    [Parameter("A token"), Secret, Pattern("tok-[A-Za-z0-9-]+", "a token that starts with tok-")] public string? ApiToken { get; init; }

    Target Default => _ => _.Executes(() => Record(nameof(Default)));
    Target Unforeseen => _ => _.Executes(() => Record(Missing!.ToString()!));
    static object? Missing => null;
    Target Foreseen => _ => _.Executes(() => throw new ToolException("The registry at 127.0.0.1:5000 refused the push.", "Check the credentials."));
    Target BadValueInside => _ => _.Executes(() => throw new InputException("The Argo CD server 'ftp://x' (ARGOCD_SERVER) is not a server address; give host[:port] such as argocd.example.com."));
}

/// <summary>
/// Every class of bad input, through the real engine in-process: the exit code (2 for a bad value, 1 for a failure), one
/// sentence naming the parameter and a good value, and never a stack trace unless --verbosity verbose.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private (int ExitCode, string Output) Run(params string[] args) => _harness.Run(new TypedBuild(), [.. args, "--no-logo"]);

    private static void AssertNoStackTrace(string output)
    {
        Assert.DoesNotMatch(@"^\s+at \S+\(", output.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal)) ?? string.Empty);
        Assert.DoesNotContain("   at ", output);
        Assert.DoesNotContain("Unhandled exception", output);
        Assert.DoesNotContain("--- End of", output);
    }

    private static void AssertBadValue((int ExitCode, string Output) result, params string[] expected)
    {
        Assert.True(result.ExitCode == 2, result.Output);
        foreach (var text in expected)
            Assert.Contains(text, result.Output);
        AssertNoStackTrace(result.Output);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e300")]
    [InlineData("99999999999h")]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("25h")]
    [InlineData("-00:01:00")]
    [InlineData("5x")]
    public void A_duration_that_is_not_finite_positive_and_at_most_a_day_is_a_usage_error(string value) =>
        AssertBadValue(Run("--sync-timeout", value), "Parameter 'SyncTimeout' from the command line (--sync-timeout)", "Expected a duration greater than 0 and at most 24 hours, such as 90s");

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("1h30m", 5400)]
    [InlineData("00:05:00", 300)]
    [InlineData("1.5", 1.5)]
    [InlineData("24h", 86400)]
    public void A_sane_duration_is_accepted(string value, double seconds)
    {
        var build = new TypedBuild();
        var (exitCode, output) = _harness.Run(build, "--sync-timeout", value, "--no-logo");

        Assert.True(exitCode == 0, output);
        Assert.Equal(TimeSpan.FromSeconds(seconds), build.SyncTimeout);
    }

    [Fact]
    public void A_bad_value_from_the_environment_names_the_variable_and_help_still_works()
    {
        var help = RunWithEnvironment("SYNC_TIMEOUT", "NaN", "--help");
        Assert.True(help.Item1 == 0, help.Item2);
        AssertNoStackTrace(help.Item2);
        AssertBadValue(Run("--plan"), "Parameter 'SyncTimeout' (--sync-timeout) from the environment (SYNC_TIMEOUT): 'NaN' is not valid");
    }

    private (int, string) RunWithEnvironment(string name, string value, params string[] args)
    {
        _harness.Environment[name] = value;
        return Run(args);
    }

    [Fact]
    public void A_text_parameter_with_a_pattern_rejects_what_does_not_match() =>
        AssertBadValue(Run("--commit", "abc"), "'abc' is not valid. Expected a commit sha of 7 to 40 hex digits, such as 3f2a9c1.");

    [Theory]
    [InlineData("--count", "many", "Expected a whole number such as 3.")]
    [InlineData("--count", "99999999999", "Expected a whole number such as 3.")]
    [InlineData("--port", "70000", "Expected a whole number from 1 to 65535.")]
    [InlineData("--port", "0", "Expected a whole number from 1 to 65535.")]
    [InlineData("--switch=maybe", "", "Expected true or false.")]
    [InlineData("--level", "NOPE", "Expected one of Low, Medium, High, Critical.")]
    [InlineData("--server", "argocd", "Expected an absolute URL (http://, https://, ssh://, file://) such as https://example.com.")]
    [InlineData("--server", "javascript:alert(1)", "Expected an absolute URL")]
    [InlineData("--docker-host", "ftp://x", "such as unix:///var/run/docker.sock")]
    // A unix URL without a socket path used to be taken and failed later in the Docker client as a bare UriFormatException.
    [InlineData("--docker-host", "unix://", "Parameter 'DockerHost' from the command line (--docker-host): 'unix://' is not valid. Expected an absolute URL (unix://, tcp://) such as unix:///var/run/docker.sock.")]
    [InlineData("--docker-host", "unix:///", "'unix:///' is not valid. Expected an absolute URL")]
    [InlineData("--docker-host", "unix://docker.sock", "'unix://docker.sock' is not valid. Expected an absolute URL")]
    [InlineData("--docker-host", "unix:///var/run/", "'unix:///var/run/' is not valid. Expected an absolute URL")]
    [InlineData("--ports", "80 http", "Parameter 'Ports' from the command line (--ports): 'http' is not valid. Expected a whole number such as 3.")]
    public void Each_parameter_type_rejects_a_bad_value_with_an_example(string option, string value, string message) =>
        AssertBadValue(Run([option, .. value.Split(' ', StringSplitOptions.RemoveEmptyEntries)]), message);

    [Fact]
    public void A_path_with_a_nul_character_is_a_usage_error() =>
        AssertBadValue(Run("--output", "out\0dir"), "'out\\u0000dir' is not valid. Expected a file or folder path");

    [Fact]
    public void A_value_with_control_characters_is_echoed_escaped_on_one_line()
    {
        var (exitCode, output) = Run("--commit", "abc\nFORGED LINE");

        Assert.Equal(2, exitCode);
        Assert.Contains("'abc\\u000aFORGED LINE'", output);
        Assert.DoesNotContain("\nFORGED LINE", output);
    }

    [Theory]
    [InlineData("unix:///var/run/docker.sock")]
    [InlineData("unix:/var/run/docker.sock")]
    [InlineData("tcp://127.0.0.1:2375")]
    public void The_documented_docker_host_values_are_accepted(string value)
    {
        var build = new TypedBuild();
        var (exitCode, output) = _harness.Run(build, "--docker-host", value, "--no-logo");

        Assert.True(exitCode == 0, output);
        Assert.Equal(new Uri(value), build.DockerHost);
    }

    [Fact]
    public void A_secret_that_fails_to_convert_is_named_but_never_shown()
    {
        var (exitCode, output) = Run("--api-token", "Bearer one-Secret-value");

        Assert.Equal(2, exitCode);
        Assert.Contains("Parameter 'ApiToken' from the command line (--api-token): *** is not valid. Expected a token that starts with tok-.", output);
        Assert.DoesNotContain("one-Secret-value", output);
    }

    [Fact]
    public void A_key_given_twice_in_parameters_json_is_a_usage_error_naming_the_key()
    {
        _harness.WriteParameters("parameters.json", """{ "Commit": "abcdef1", "Count": 2, "Commit": "abcdef2" }""");

        AssertBadValue(Run(), "parameters.json: the key \"Commit\" is given twice; keep one of them.");
    }

    [Theory]
    [InlineData("""{ "Commit": { "sha": "abcdef1" } }""", "\"Commit\" holds an object")]
    [InlineData("""{ "Tags": [["a"], "b"] }""", "\"Tags\" holds a nested array")]
    [InlineData("""[ "Commit" ]""", "expected a JSON object of parameter names and values")]
    public void A_parameters_file_value_of_the_wrong_shape_is_a_usage_error_naming_the_key(string json, string message)
    {
        _harness.WriteParameters("parameters.json", json);

        AssertBadValue(Run(), message);
    }

    [Fact]
    public void A_folder_in_place_of_parameters_json_is_a_usage_error_not_ignored()
    {
        // Found by the bad-input sweep: File.Exists is false for a folder, so the run went on without a word.
        Directory.CreateDirectory(Path.Combine(_harness.Root, ".nuke", "parameters.json"));

        AssertBadValue(Run(), "parameters.json: is a folder, not a file; make it a readable JSON file such as { \"Configuration\": \"Release\" }, or remove it.");
    }

    [Fact]
    public void A_parameters_file_that_cannot_be_read_is_a_usage_error_saying_what_to_do()
    {
        // Found by the bad-input sweep: a link to nothing (as a chmod 000 file for a user other than root) was exit 1 with
        // the runtime's "Could not find file '...'" ("Access to the path '...' is denied.") and nothing to do.
        File.CreateSymbolicLink(Path.Combine(_harness.Root, ".nuke", "parameters.json"), Path.Combine(_harness.Root, "gone.json"));

        AssertBadValue(Run(), "parameters.json: cannot be read (it is a link to a file that does not exist); make it a readable JSON file");
    }

    [Fact]
    public void A_key_that_is_no_parameter_in_parameters_json_is_a_usage_error_with_the_closest_name()
    {
        // A misspelled key would otherwise be ignored, its value never used, and the default taken without a word.
        _harness.WriteParameters("parameters.json", """{ "$schema": "./build.schema.json", "sync-timeout": "5m", "SyncTimout": "5m" }""");

        AssertBadValue(Run(), "parameters.json: \"SyncTimout\" is not a parameter of this build. Did you mean 'SyncTimeout'? Run with --help to see the parameters.");
    }

    [Fact]
    public void A_root_folder_that_does_not_exist_is_a_usage_error_naming_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), "cloudage-no-such-root-" + Guid.NewGuid().ToString("N"));

        AssertBadValue(Run("--root", missing), $"--root {missing}: no such folder; pass the repository's folder");
    }

    [Fact]
    public void A_bad_value_in_parameters_json_names_the_file_key()
    {
        _harness.WriteParameters("parameters.json", """{ "SyncTimeout": "NaN" }""");

        AssertBadValue(Run(), "from parameters.json (\"SyncTimeout\"): 'NaN' is not valid");
    }

    [Fact]
    public void An_unforeseen_exception_in_a_target_is_one_sentence_without_a_stack_trace_and_exit_1()
    {
        var (exitCode, output) = Run("Unforeseen");

        Assert.Equal(1, exitCode);
        Assert.Contains("Target 'Unforeseen' failed: Object reference not set to an instance of an object. (NullReferenceException; run again with --verbosity verbose", output);
        AssertNoStackTrace(output);
    }

    [Fact]
    public void Verbose_adds_the_stack_trace()
    {
        var (exitCode, output) = Run("Unforeseen", "--verbosity", "verbose");

        Assert.Equal(1, exitCode);
        Assert.Contains("   at ", output);
    }

    [Fact]
    public void A_tool_failure_prints_its_message_and_hint_and_exits_1()
    {
        var (exitCode, output) = Run("Foreseen");

        Assert.Equal(1, exitCode);
        Assert.Contains("Target 'Foreseen' failed: The registry at 127.0.0.1:5000 refused the push. Check the credentials.", output);
        AssertNoStackTrace(output);
    }

    [Fact]
    public void A_bad_value_found_inside_a_target_makes_the_run_exit_2() =>
        AssertBadValue(Run("BadValueInside"), "Target 'BadValueInside' failed: The Argo CD server 'ftp://x' (ARGOCD_SERVER) is not a server address");

    [Theory]
    [InlineData("CI", "true")]
    [InlineData("GITHUB_ACTIONS", "true")]
    public void A_secret_flag_under_CI_warns_to_use_the_environment_variable_even_in_a_dry_run(string variable, string value)
    {
        _harness.Environment[variable] = value;

        var (exitCode, output) = Run("--api-token", "tok-Secret-123", "--dry-run");

        Assert.Equal(0, exitCode);
        Assert.Contains("the secret --api-token was given on the command line", output);
        Assert.Contains("pass it as the environment variable API_TOKEN", output);
        Assert.DoesNotContain("tok-Secret-123", output);
    }

    [Fact]
    public void A_secret_flag_outside_CI_and_a_secret_from_the_environment_under_CI_give_no_warning()
    {
        var (_, local) = Run("--api-token", "tok-Secret-123");
        _harness.Environment["CI"] = "true";
        _harness.Environment["API_TOKEN"] = "tok-Secret-123";
        var (_, fromEnvironment) = Run();

        Assert.DoesNotContain("given on the command line", local);
        Assert.DoesNotContain("given on the command line", fromEnvironment);
    }
}
