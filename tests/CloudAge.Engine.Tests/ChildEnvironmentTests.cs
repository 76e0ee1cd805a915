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

/// <summary>user:password inside a URL is masked wherever a line is printed, though nobody registered it as a secret.</summary>
public sealed class UserInfoMaskingTests
{
    [Theory]
    [InlineData("cloning https://bot:ghp_Secret123@github.com/org/repo.git", "cloning https://***@github.com/org/repo.git")]
    [InlineData("Argo CD at http://admin:pw@127.0.0.1:8080/ failed", "Argo CD at http://***@127.0.0.1:8080/ failed")]
    [InlineData("registry tcp://user@host:2375 and ssh://git@example.com/x", "registry tcp://***@host:2375 and ssh://***@example.com/x")]
    [InlineData("mail me at ops@example.com about https://example.com/a@b", "mail me at ops@example.com about https://example.com/a@b")]
    public void Userinfo_in_urls_is_masked(string text, string expected) =>
        Assert.Equal(expected, new CloudAge.Common.Secrets.SecretMasker().Redact(text));

    [Fact]
    public void A_failing_target_that_prints_a_url_with_a_password_shows_it_masked()
    {
        using var harness = new BuildHarness();

        var (_, output) = harness.Run(new UrlBuild(), ["Fails"], "Fails", "--no-logo");

        Assert.Contains("https://***@git.example.com/repo.git", output);
        Assert.DoesNotContain("hunter2pass", output);
    }
}

public sealed class UrlBuild : RecordingBuild
{
    Target Fails => _ => _.Executes(() => throw new InvalidOperationException("git could not reach https://deploy:hunter2pass@git.example.com/repo.git"));
}
