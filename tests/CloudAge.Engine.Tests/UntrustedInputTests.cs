using CloudAge.Engine.Tests.Fixtures;

namespace CloudAge.Engine.Tests;

/// <summary>A build with secrets that have defaults, to show no message ever uses a secret as its example.</summary>
public sealed class SecretDefaultBuild : RecordingBuild
{
    [Parameter("A password"), Secret] public string Password { get; init; } = "hunter2-default-secret";
    [Parameter("A secret number"), Secret] public int Pin { get; init; } = 98765;

    Target Default => _ => _.Executes(() => Record(nameof(Default)));
}

/// <summary>
/// Values the reviewer found handled wrongly: empty values, repeated flags and keys, text echoed raw, messages without
/// an example, parameters files that are not JSON, and profile names that are paths.
/// </summary>
public sealed class UntrustedInputTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private (int ExitCode, string Output) Run(params string[] args) => _harness.Run(new TypedBuild(), [.. args, "--no-logo"]);

    private (TypedBuild Build, string Output) Bind(params string[] args)
    {
        var build = new TypedBuild();
        var (exitCode, output) = _harness.Run(build, [.. args, "--no-logo", "--verbosity", "quiet"]);
        Assert.True(exitCode == 0, output);
        return (build, output);
    }

    private static void AssertBadValue((int ExitCode, string Output) result, params string[] expected)
    {
        Assert.True(result.ExitCode == 2, result.Output);
        foreach (var text in expected)
            Assert.Contains(text, result.Output);
        Assert.DoesNotContain("   at ", result.Output);
    }

    // ---- 1. An empty value from the environment or a parameters file is "not given", for every type.

    [Theory]
    [InlineData("SWITCH")]
    [InlineData("COUNT")]
    [InlineData("PORT")]
    [InlineData("LEVEL")]
    [InlineData("SYNC_TIMEOUT")]
    [InlineData("SERVER")]
    [InlineData("OUTPUT")]
    [InlineData("COMMIT")]
    [InlineData("TAGS")]
    [InlineData("API_TOKEN")]
    public void An_empty_environment_variable_counts_as_not_set(string variable)
    {
        _harness.Environment[variable] = string.Empty;

        var (build, _) = Bind();

        AssertDefaults(build);
    }

    [Fact]
    public void Empty_values_in_parameters_json_count_as_not_set()
    {
        _harness.WriteParameters("parameters.json", """
            { "Switch": "", "Count": "", "Port": "", "Level": "", "SyncTimeout": "", "Server": "", "Output": "", "Commit": "", "Tags": "", "ApiToken": "" }
            """);

        var (build, _) = Bind();

        AssertDefaults(build);
    }

    private static void AssertDefaults(TypedBuild build)
    {
        Assert.False(build.Switch);
        Assert.Equal(1, build.Count);
        Assert.Equal(80, build.Port);
        Assert.Equal(Severity.High, build.Level);
        Assert.Equal(TimeSpan.FromMinutes(10), build.SyncTimeout);
        Assert.Null(build.Server);
        Assert.Null(build.Commit);
        Assert.Empty(build.Tags);
        Assert.Null(build.ApiToken);
        Assert.Equal(ParameterOrigin.Default, build.ParameterSourceOf(nameof(TypedBuild.Switch)).Origin);
    }

    [Fact]
    public void An_empty_environment_variable_lets_the_parameters_file_answer()
    {
        _harness.Environment["SWITCH"] = string.Empty;
        _harness.Environment["NUKE_COUNT"] = string.Empty;
        _harness.WriteParameters("parameters.json", """{ "Switch": true, "Count": 5 }""");

        var (build, _) = Bind();

        Assert.True(build.Switch);
        Assert.Equal(5, build.Count);
    }

    [Fact]
    public void An_empty_bool_does_not_show_as_true_in_a_dry_run()
    {
        _harness.Environment["SWITCH"] = string.Empty;

        var (exitCode, output) = Run("--dry-run");

        Assert.True(exitCode == 0, output);
        Assert.Matches(@"\n\s+Switch\s+False\r?\n", output);
    }

    [Theory]
    [InlineData("--switch")]
    [InlineData("--switch=true")]
    [InlineData("--switch=yes")]
    public void A_bare_flag_or_a_true_value_still_turns_a_switch_on(string flag) =>
        Assert.True(Bind(flag).Build.Switch);

    [Theory]
    [InlineData("--switch=", "Parameter 'Switch' from the command line (--switch): '' is not valid. Expected true or false.")]
    [InlineData("--count=", "Parameter 'Count' from the command line (--count): '' is not valid. Expected a whole number such as 3.")]
    public void An_explicitly_empty_flag_value_is_refused(string flag, string message) =>
        AssertBadValue(Run(flag), message);

    // ---- 2. Repeated flags add up for arrays and are refused for single values; file keys compare normalised.

    [Fact]
    public void A_repeated_array_flag_adds_up()
    {
        var (build, _) = Bind("--tags", "a", "--tags", "b", "c", "--ports=1", "--ports", "2");

        Assert.Equal(["a", "b", "c"], build.Tags);
        Assert.Equal([1, 2], build.Ports);
    }

    [Theory]
    [InlineData("--port 1 --port 2", "--port given twice (1 and 2); give it once, e.g. --port 80.")]
    [InlineData("--port=1 --Port 2", "--port given twice (1 and 2); give it once, e.g. --port 80.")]
    [InlineData("--sync-timeout 5m --sync-timeout=6m", "--sync-timeout given twice (5m and 6m); give it once, e.g. --sync-timeout 10m.")]
    [InlineData("--switch --switch false", "--switch given twice (true and false); give it once, e.g. --switch.")]
    [InlineData("--verbosity quiet --verbosity normal", "--verbosity given twice (quiet and normal); give it once, e.g. --verbosity verbose.")]
    [InlineData("--format html --format=mermaid --plan", "--format given twice (html and mermaid); give it once, e.g. --format mermaid.")]
    [InlineData("--root . --root ..", "--root given twice (. and ..); give it once, e.g. --root ..")]
    public void A_repeated_single_value_flag_is_refused_naming_both_values(string args, string message) =>
        AssertBadValue(Run(args.Split(' ')), message);

    [Fact]
    public void A_repeated_secret_flag_is_refused_without_showing_either_value()
    {
        var (exitCode, output) = Run("--api-token", "tok-First-secret", "--api-token", "tok-Second-secret");

        AssertBadValue((exitCode, output), "--api-token given twice; give it once, e.g. --api-token <value>.");
        Assert.DoesNotContain("First-secret", output);
        Assert.DoesNotContain("Second-secret", output);
    }

    [Fact]
    public void A_repeated_skip_adds_up() =>
        AssertBadValue(Run("--skip", "NoSuchTarget", "--skip", "Default"), "Target with name 'NoSuchTarget' does not exist.");

    [Theory]
    [InlineData("""{ "SyncTimeout": "5m", "sync_timeout": "6m" }""", "parameters.json: the key \"sync_timeout\" is given twice (also as \"SyncTimeout\": case, '-' and '_' do not matter); keep one of them.")]
    [InlineData("""{ "Port": 1, "PORT": 2 }""", "parameters.json: the key \"PORT\" is given twice (also as \"Port\"")]
    [InlineData("""{ "sync-timeout": "5m", "Sync_Timeout": "6m" }""", "the key \"Sync_Timeout\" is given twice (also as \"sync-timeout\"")]
    public void Parameters_file_keys_that_differ_only_in_case_or_separators_are_one_key_given_twice(string json, string message)
    {
        _harness.WriteParameters("parameters.json", json);

        AssertBadValue(Run(), message);
    }

    // ---- 3. Text the user typed is echoed escaped, on one line, and cut at 80 characters.

    private const string Forged = "\u001b[31mRED\nFORGED: line";
    private const string Escaped = "\\u001b[31mRED\\u000aFORGED: line";

    [Theory]
    [InlineData("target", "Target with name '" + Escaped + "' does not exist.")]
    [InlineData("skip", "Target with name '" + Escaped + "' does not exist.")]
    [InlineData("--verbosity", "--verbosity takes quiet, minimal, normal or verbose, not '" + Escaped + "'.")]
    [InlineData("--format", "--format takes html or mermaid, not '" + Escaped + "'.")]
    [InlineData("--profile", "--profile '" + Escaped + "' is not a profile name")]
    [InlineData("option", "Unknown option '--\\u001b[31m-red\\u000aforged: line'.")]
    [InlineData("--root", "--root " + Escaped + ": no such folder")]
    public void Typed_text_is_echoed_with_control_characters_escaped(string where, string message)
    {
        string[] args = where switch
        {
            "target" => [Forged],
            "skip" => ["--skip", Forged],
            "option" => ["--" + Forged, "x"],
            _ => [where, Forged],
        };

        var (exitCode, output) = Run(args);

        AssertBadValue((exitCode, output), message);
        Assert.DoesNotContain("\u001b", output);
        Assert.DoesNotContain("\nFORGED", output);
    }

    [Fact]
    public void A_parameters_file_key_with_control_characters_is_echoed_escaped()
    {
        _harness.WriteParameters("parameters.json", """{ "Nope\u001b[2J\nX": 1 }""");

        var (exitCode, output) = Run();

        AssertBadValue((exitCode, output), "parameters.json: \"Nope\\u001b[2J\\u000aX\" is not a parameter of this build.");
        Assert.DoesNotContain("\u001b", output);
    }

    [Fact]
    public void An_environment_value_with_control_characters_is_escaped_in_a_dry_run()
    {
        _harness.Environment["COMMIT"] = "abcdef1";
        _harness.Environment["TAGS"] = "a\u001b[2Jb";

        var (exitCode, output) = Run("--dry-run");

        Assert.True(exitCode == 0, output);
        Assert.Contains("a\\u001b[2Jb", output);
        Assert.DoesNotContain("\u001b", output);
    }

    [Theory]
    [InlineData("target")]
    [InlineData("option")]
    [InlineData("--verbosity")]
    public void A_huge_value_is_cut_to_80_characters(string where)
    {
        var huge = new string('x', 100_000);
        string[] args = where switch
        {
            "target" => [huge],
            "option" => ["--" + huge, "1"],
            _ => [where, huge],
        };

        var (exitCode, output) = Run(args);

        Assert.True(exitCode == 2, output[..Math.Min(output.Length, 2000)]);
        Assert.Contains(new string('x', 80) + "...", output);
        Assert.DoesNotContain(new string('x', 81), output);
        Assert.True(output.Length < 2000, $"{output.Length} characters of output");
    }

    // ---- 5. Messages give an example; invalid JSON is said in the file's terms; a profile is a plain name.

    [Theory]
    [InlineData("--count", "--count needs a value (How many), e.g. --count 1.")]
    [InlineData("--port", "--port needs a value (A port), e.g. --port 80.")]
    [InlineData("--sync-timeout", "--sync-timeout needs a value (How long), e.g. --sync-timeout 10m.")]
    [InlineData("--commit", "--commit needs a value (A commit), e.g. --commit 3f2a9c1.")]
    [InlineData("--docker-host", "--docker-host needs a value (An engine), e.g. --docker-host unix:///var/run/docker.sock.")]
    [InlineData("--level", "--level needs a value (A level), e.g. --level High.")]
    [InlineData("--server", "--server needs a value (A server), e.g. --server https://example.com.")]
    [InlineData("--output", "--output needs a value (A folder), e.g. --output artifacts/out.")]
    [InlineData("--root", "--root needs a value, e.g. --root ..")]
    [InlineData("--verbosity", "--verbosity needs a value, e.g. --verbosity verbose.")]
    [InlineData("--format", "--format needs a value, e.g. --format mermaid.")]
    public void A_flag_without_its_value_says_what_a_good_one_looks_like(string flag, string message) =>
        AssertBadValue(Run(flag), message);

    [Theory]
    [InlineData("--password")]
    [InlineData("--pin")]
    public void A_secret_default_is_never_the_example(string flag)
    {
        var (exitCode, output) = _harness.Run(new SecretDefaultBuild(), flag, "--no-logo");

        AssertBadValue((exitCode, output), $"{flag} needs a value (A ");
        Assert.DoesNotContain("hunter2", output);
        Assert.DoesNotContain("98765", output);
    }

    [Theory]
    [InlineData("{ \"Count\": 2,", "parameters.json:1:")]
    [InlineData("{\n  \"Count\": 2\n  \"Port\": 3\n}", "parameters.json:3:")]
    [InlineData("{ \"Count\": 2 } }", "parameters.json:1:")]
    public void A_parameters_file_that_is_not_JSON_names_file_line_and_position_in_plain_words(string json, string where)
    {
        _harness.WriteParameters("parameters.json", json);

        var (exitCode, output) = Run();

        AssertBadValue((exitCode, output), where, ": not valid JSON (look there for a missing comma, quote or brace); a parameters file is an object such as { \"Configuration\": \"Release\" }.");
        Assert.DoesNotContain("isFinalBlock", output);
        Assert.DoesNotContain("LineNumber", output);
        Assert.DoesNotContain("BytePosition", output);
    }

    [Theory]
    [InlineData("")]
    [InlineData("../../x")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("ci\n")]
    public void A_profile_must_be_a_plain_name(string profile)
    {
        // What a path profile would reach: .nuke/parameters.../../x.json is .nuke/x.json.
        _harness.WriteParameters("x.json", """{ "Count": 7 }""");

        AssertBadValue(Run("--profile", profile), "is not a profile name: give the plain name of a .nuke/parameters.<name>.json file", "e.g. --profile ci.");
    }

    [Fact]
    public void A_target_taken_as_a_profile_says_to_name_the_targets_first()
    {
        _harness.WriteParameters("parameters.ci.json", """{ "Count": 7 }""");

        // --profile takes every word up to the next option: "default" is read as a second profile, not as the target.
        AssertBadValue(Run("--profile", "ci", "default"), "Profile 'default' has no file .nuke/parameters.default.json, and Default is a target: --profile takes every word up to the next option, so name the targets before it, e.g. ./build.sh Default --profile ci.");
    }

    [Fact]
    public void A_profile_flag_without_a_name_is_refused() =>
        AssertBadValue(Run("--profile"), "--profile needs a name, e.g. --profile ci for .nuke/parameters.ci.json.");

    [Fact]
    public void Profiles_with_dots_dashes_and_underscores_still_load()
    {
        _harness.WriteParameters("parameters.ci-eu_1.x.json", """{ "Count": 7 }""");

        Assert.Equal(7, Bind("--profile", "ci-eu_1.x").Build.Count);
    }
}
