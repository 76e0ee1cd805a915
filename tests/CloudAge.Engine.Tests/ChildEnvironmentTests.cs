using CloudAge.Common.Processes;
using CloudAge.Engine.Tests.Fixtures;

namespace CloudAge.Engine.Tests;

public sealed class ChildProcessBuild : RecordingBuild
{
    [Parameter("A token"), Secret] public string? ApiToken { get; init; }
    [Parameter("The variable the child prints")] public string Variable { get; init; } = "";

    // A real child process (sh) prints what it inherited; '<absent>' when the variable is not in its environment.
    Target Inherit => _ => _.Executes(() => Processes.RunAsync(new ProcessSpec("sh", ["-c", $"echo \"child sees [${{{Variable}:-<absent>}}]\""])));
    Target Pass => _ => _.Executes(() => Processes.RunAsync(new ProcessSpec("sh", ["-c", $"test \"${{{Variable}}}\" = \"$EXPECTED\" && echo child got it"])
    {
        PassSecrets = [Variable],
        Environment = new Dictionary<string, string?> { ["EXPECTED"] = ApiToken },
        StreamOutput = true,
    }));
}

/// <summary>Child processes started through the one ProcessRunner inherit no secret of the run unless it is passed on by name.</summary>
public sealed class ChildEnvironmentTests : IDisposable
{
    private const string Token = "tok-child-Secret-4711";
    private readonly BuildHarness _harness = new();
    private readonly string _variable = "CLOUDAGE_TEST_TOKEN_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    public ChildEnvironmentTests()
    {
        // In this process's environment, as an exported API_TOKEN would be for ./build.sh.
        Environment.SetEnvironmentVariable(_variable, Token);
        _harness.Environment["API_TOKEN"] = Token;
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(_variable, null);
        _harness.Dispose();
    }

    [Fact]
    public void A_variable_holding_a_secret_is_not_inherited()
    {
        var (exitCode, output) = _harness.Run(new ChildProcessBuild(), ["Inherit"], "Inherit", "--variable", _variable, "--no-logo");

        Assert.True(exitCode == 0, output);
        Assert.Contains("child sees [<absent>]", output);
    }

    [Fact]
    public void An_ordinary_variable_is_inherited()
    {
        var name = _variable + "_PLAIN";
        Environment.SetEnvironmentVariable(name, "plain-value");
        try
        {
            var (exitCode, output) = _harness.Run(new ChildProcessBuild(), ["Inherit"], "Inherit", "--variable", name, "--no-logo");

            Assert.True(exitCode == 0, output);
            Assert.Contains("child sees [plain-value]", output);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void A_secret_passed_on_by_name_reaches_the_child()
    {
        var (exitCode, output) = _harness.Run(new ChildProcessBuild(), ["Pass"], "Pass", "--variable", _variable, "--no-logo");

        Assert.True(exitCode == 0, output);
        Assert.Contains("child got it", output);
        Assert.DoesNotContain(Token, output);
    }
}
