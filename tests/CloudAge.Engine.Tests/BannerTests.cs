using CloudAge.Engine.Tests.Fixtures;

namespace CloudAge.Engine.Tests;

/// <summary>The engine names no product: the banner says what the build calls itself.</summary>
public sealed class BannerTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void The_banner_names_the_build_as_it_names_itself()
    {
        var (exitCode, output) = _harness.Run(new NamedBuild(), ["Default"], []);

        Assert.True(exitCode == 0, output);
        Assert.Contains("Sample delivery · 1 of 1 targets to run", output);
        Assert.DoesNotContain("CloudAge", output);
    }

    [Fact]
    public void Without_a_name_the_banner_uses_the_class_name()
    {
        var (exitCode, output) = _harness.Run(new PipelineBuild(), ["Compile"], []);

        Assert.True(exitCode == 0, output);
        Assert.Contains("PipelineBuild · ", output);
    }

    private sealed class NamedBuild : RecordingBuild
    {
        public override string BuildName => "Sample delivery";

        Target Default => _ => _.Executes(() => Record(nameof(Default)));
    }
}
