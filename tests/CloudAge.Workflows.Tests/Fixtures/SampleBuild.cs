namespace CloudAge.Workflows.Tests.Fixtures;

/// <summary>
/// A small build written for these tests, not a copy of CloudAge's: a push workflow with paths-ignore and a
/// workflow_run release after it, so the generator's two main shapes, drift and trigger checks have something to
/// work on. CloudAge's own attributes are tested once, with the real class, in tests/CloudAge.Build.Tests.
/// </summary>
[GitHubWorkflow("ci",
    OnPushBranches = ["main"],
    OnPushExcludePaths = ["deploy/**", "**/*.md"],
    OnWorkflowDispatch = true,
    ReadPermissions = [GitHubTokenScope.Contents],
    TimeoutMinutes = 20,
    ImportVariables = ["PACKAGE_FEED"])]
[GitHubWorkflowJob("ci", "pack",
    InvokedTargets = [nameof(Pack)],
    Outputs = ["package-version"])]
[GitHubWorkflow("release",
    OnWorkflowRunWorkflows = ["ci"],
    OnWorkflowRunBranches = ["main"],
    WritePermissions = [GitHubTokenScope.Contents, GitHubTokenScope.IdToken],
    ConcurrencyGroup = "release",
    ConcurrencyCancelInProgress = false,
    TimeoutMinutes = 15,
    AwsAuth = AwsAuthentication.OidcRole,
    ImportSecrets = ["FEED_TOKEN"],
    ImportVariables = ["PACKAGE_FEED"])]
[GitHubWorkflowJob("release", "release",
    InvokedTargets = [nameof(Release)],
    BuildArguments = "--commit ${{ github.event.workflow_run.head_sha }}",
    EnvironmentName = "stable",
    EnvironmentUrlOutput = "release-url",
    Outputs = ["release-url"])]
public sealed class SampleBuild
{
    public static IReadOnlyList<string> TargetNames { get; } = ["Compile", "Test", nameof(Pack), nameof(Release)];

    public static IReadOnlyList<string> ParameterNames { get; } = ["Commit", "PackageFeed", "FeedToken"];

    public static BuildSurface Surface { get; } = new(TargetNames, ParameterNames) { Source = "ci/SampleBuild.cs" };

    public static object? Pack => null;
    public static object? Release => null;
}
