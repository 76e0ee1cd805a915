using System.Text.RegularExpressions;
using CloudAge.Build.Tests.Fixtures;

namespace CloudAge.Build.Tests;

/// <summary>The build program's BumpTag --dry-run on a clone of a bare remote: what it prints, once.</summary>
public sealed class BumpTagDryRunTests : IDisposable
{
    private readonly DeployRemote _remote = new();

    public void Dispose() => _remote.Dispose();

    private string Run(params string[] args)
    {
        var (build, output) = _remote.Start(["BumpTag", "--dry-run", "--image-reference", "Tag", .. args]);
        using (build)
        {
            Assert.True(build.WaitForExit(120_000), "BumpTag --dry-run did not finish within 120 s:\n" + output());
            build.WaitForExit();
            Assert.True(build.ExitCode == 0, $"exit {build.ExitCode}:\n{output()}");
        }
        return output();
    }

    [Fact]
    public void The_diff_of_a_dry_run_is_printed_once()
    {
        var output = Run("--image-tag", "1.2.3");

        // The tool prints the diff, and the target used to print it a second time under another heading.
        Assert.Single(Regex.Matches(output, @"^\+\s+image: .*:1\.2\.3$", RegexOptions.Multiline));
        Assert.Contains("Dry run: would commit \"Deploy 123456789012.dkr.ecr.us-east-1.amazonaws.com/cloudage:1.2.3 [skip ci]\"", output);
    }

    [Fact]
    public void A_dry_run_of_the_deployed_image_says_only_that_nothing_would_be_committed()
    {
        var output = Run("--image-tag", "0.0.0-placeholder");

        Assert.Contains("Dry run: 123456789012.dkr.ecr.us-east-1.amazonaws.com/cloudage:0.0.0-placeholder is already deployed; nothing would be committed.", output);
        // It used to be followed by "Dry run: this is the change BumpTag would commit:" and no change.
        Assert.DoesNotContain("this is the change", output);
    }
}
