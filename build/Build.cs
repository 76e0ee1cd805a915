using CloudAge.Engine;

namespace CloudAge.Build;

/// <summary>
/// CloudAge's delivery pipeline: Compile -> Test -> Publish -> DockerBuild -> Scan -> PushEcr, then
/// BumpTag -> ArgoSync -> GetUrl. Each concern's targets live in a Build.&lt;Concern&gt;.cs partial.
/// </summary>
public sealed partial class Build : BuildBase
{
    public static int Main() => Execute<Build>(x => x.Compile);

    public override string BuildName => "CloudAge build";

    [Parameter("Configuration to build: Debug or Release")]
    public Configuration Configuration { get; init; } = Configuration.Release;

    AbsolutePath ArtifactsDirectory => RootDirectory / "artifacts";
    AbsolutePath SolutionFile => RootDirectory / "CloudAge.sln";
}

public enum Configuration
{
    Debug,
    Release,
}
