using CloudAge.Common.Errors;
using CloudAge.Engine.Tests.Fixtures;

namespace CloudAge.Engine.Tests;

/// <summary>A build whose target finds a value bad and names where it came from, as build code would.</summary>
public sealed class SourceNamingBuild : RecordingBuild
{
    [Parameter("A port")] public int LocalPort { get; init; } = 8080;
    [Parameter("An old name", Name = "OldRepository")] public string? Repository { get; init; }
    [Parameter("A token"), Secret] public string? Token { get; init; }

    Target Default => _ => _.Executes(() => Record(nameof(Default)));
    Target CheckPort => _ => _.Executes(() =>
    {
        if (LocalPort < 1024)
            throw new InputException($"Port {LocalPort} ({ParameterSourceOf(nameof(LocalPort))}) is privileged; give one from 1024, e.g. 8080.");
    });
}

/// <summary>BuildBase.ParameterSourceOf: where each value came from, named as the user gave it.</summary>
public sealed class ParameterSourceTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private SourceNamingBuild Bind(params string[] args)
    {
        var build = new SourceNamingBuild();
        var (exitCode, output) = _harness.Run(build, [.. args, "--no-logo", "--verbosity", "quiet"]);
        Assert.True(exitCode == 0, output);
        return build;
    }

    [Fact]
    public void Each_source_is_named_as_the_user_gave_it()
    {
        Assert.Equal(new ParameterSource(ParameterOrigin.CommandLine, "--local-port"), Bind("--local-port", "9000").ParameterSourceOf(nameof(SourceNamingBuild.LocalPort)));

        _harness.Environment["nuke_local-PORT"] = "9000";
        var fromEnvironment = Bind().ParameterSourceOf(nameof(SourceNamingBuild.LocalPort));
        Assert.Equal(new ParameterSource(ParameterOrigin.Environment, "nuke_local-PORT"), fromEnvironment);
        Assert.Equal("nuke_local-PORT", fromEnvironment.ToString());
        _harness.Environment.Clear();

        _harness.WriteParameters("parameters.json", """{ "local_port": 9000 }""");
        var fromFile = Bind().ParameterSourceOf(nameof(SourceNamingBuild.LocalPort));
        Assert.Equal(new ParameterSource(ParameterOrigin.File, "local_port", "parameters.json"), fromFile);
        Assert.Equal("\"local_port\" in parameters.json", fromFile.ToString());
    }

    [Fact]
    public void A_value_not_given_is_the_default_named_by_its_flag_even_before_binding()
    {
        Assert.Equal(new ParameterSource(ParameterOrigin.Default, "--local-port"), Bind().ParameterSourceOf(nameof(SourceNamingBuild.LocalPort)));
        Assert.Equal(new ParameterSource(ParameterOrigin.Default, "--old-repository"), new SourceNamingBuild().ParameterSourceOf(nameof(SourceNamingBuild.Repository)));
    }

    [Fact]
    public void A_renamed_member_is_looked_up_by_its_member_name_and_named_by_the_name_users_know()
    {
        _harness.Environment["OLD_REPOSITORY"] = "x";

        Assert.Equal("OLD_REPOSITORY", Bind().ParameterSourceOf(nameof(SourceNamingBuild.Repository)).ToString());
    }

    [Fact]
    public void A_name_that_is_no_parameter_is_a_programming_error() =>
        Assert.Throws<ArgumentException>(() => new SourceNamingBuild().ParameterSourceOf("NoSuchMember"));

    [Fact]
    public void A_secret_source_names_the_variable_not_the_value()
    {
        _harness.Environment["TOKEN"] = "s3cr3t-value";

        var source = Bind().ParameterSourceOf(nameof(SourceNamingBuild.Token));

        Assert.Equal("TOKEN", source.ToString());
        Assert.DoesNotContain("s3cr3t", source.ToString());
    }

    [Fact]
    public void A_target_words_its_bad_value_error_with_the_source()
    {
        _harness.WriteParameters("parameters.json", """{ "LocalPort": 80 }""");

        var (exitCode, output) = _harness.Run(new SourceNamingBuild(), "CheckPort", "--no-logo");

        Assert.Equal(2, exitCode);
        Assert.Contains("Port 80 (\"LocalPort\" in parameters.json) is privileged; give one from 1024, e.g. 8080.", output);
    }
}
