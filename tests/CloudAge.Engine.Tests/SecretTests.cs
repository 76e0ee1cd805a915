using CloudAge.Engine.Tests.Fixtures;

namespace CloudAge.Engine.Tests;

/// <summary>A [Secret] value must not appear anywhere a run prints or writes, whatever path it takes.</summary>
public sealed class SecretTests : IDisposable
{
    private const string Password = "hunter2-Sup3rSecret";
    private readonly BuildHarness _harness = new();

    public SecretTests()
    {
        _harness.Environment["REGISTRY_PASSWORD"] = Password;
        _harness.Environment["GITHUB_ACTIONS"] = "true";
        _harness.Environment["GITHUB_OUTPUT"] = Path.Combine(_harness.Root, "github-output");
        _harness.Environment["GITHUB_STEP_SUMMARY"] = Path.Combine(_harness.Root, "step-summary.md");
    }

    public void Dispose() => _harness.Dispose();

    private string Everything(string output) =>
        output + string.Concat(Directory.EnumerateFiles(_harness.Root, "*", SearchOption.AllDirectories).Select(File.ReadAllText));

    [Theory]
    [InlineData("Push", "--registry", "r")]
    [InlineData("Leak")]
    [InlineData("Run")]
    [InlineData("Outputs")]
    [InlineData("--help")]
    [InlineData("Push", "--dry-run", "--registry", "r")]
    [InlineData("--retries", "x")]
    public void A_secret_never_appears_in_output_summary_or_written_files(params string[] args)
    {
        var (_, output) = _harness.Run(new ParameterBuild(), args);

        Assert.DoesNotContain(Password, Everything(output));
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Password)), Everything(output));
    }

    [Fact]
    public void The_process_runner_echoes_the_command_line_with_the_secret_masked()
    {
        var (exitCode, output) = _harness.Run(new ParameterBuild(), "Run");

        Assert.Equal(0, exitCode);
        Assert.Contains("> echo --password *** done", output);
        Assert.Contains("--password *** done", output.Split('\n').Last(l => l.StartsWith("--password", StringComparison.Ordinal)));
    }

    [Fact]
    public void Dry_run_shows_a_secret_parameter_as_masked()
    {
        var (_, output) = _harness.Run(new ParameterBuild(), "Push", "--dry-run", "--registry", "r");

        Assert.Matches(@"RegistryPassword\s+\*\*\*", output);
        Assert.Matches(@"Registry\s+r", output);
    }

    [Fact]
    public void A_secret_given_on_the_command_line_that_fails_to_convert_is_not_echoed()
    {
        _harness.Environment.Remove("REGISTRY_PASSWORD");

        var (_, output) = _harness.Run(new ParameterBuild(), "--registry-password", Password, "--registry-password", "again");

        Assert.DoesNotContain(Password, output);
    }
}
