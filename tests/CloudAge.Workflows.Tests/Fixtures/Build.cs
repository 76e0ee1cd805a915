using CloudAge.Workflows;

namespace CloudAge.Workflows.Tests.Fixtures;

/// <summary>
/// Stands in for CloudAge's build class: the attribute block is the one build/Build.CI.GitHubActions.cs
/// carries, character for character, and the members give <c>nameof</c> the same names the real
/// targets and parameters have.
/// </summary>
[GitHubWorkflow("build-and-push",
    OnPushBranches = ["main"],
    OnPushExcludePaths = ["k8s/**", "argocd/**", "docs/**", "**/*.md"],
    OnWorkflowDispatch = true,
    ReadPermissions = [GitHubTokenScope.Contents],
    WritePermissions = [GitHubTokenScope.IdToken],
    TimeoutMinutes = 30,
    AwsAuth = AwsAuthentication.OidcRoleOrStaticKeys,
    ImportVariables = ["ECR_REPOSITORY"])]
[GitHubWorkflowJob("build-and-push", "build",
    InvokedTargets = [nameof(PushEcr)],
    Outputs = ["image-tag", "image-digest", "image-uri"])]
[GitHubWorkflow("deploy",
    OnWorkflowRunWorkflows = ["build-and-push"],
    OnWorkflowRunBranches = ["main"],
    WritePermissions = [GitHubTokenScope.Contents, GitHubTokenScope.IdToken],
    ConcurrencyGroup = "deploy",
    ConcurrencyCancelInProgress = false,
    TimeoutMinutes = 30,
    AwsAuth = AwsAuthentication.OidcRoleOrStaticKeys,
    ImportSecrets = ["ARGOCD_AUTH_TOKEN"],
    ImportVariables = ["ECR_REPOSITORY", "EKS_CLUSTER_NAME", "ARGOCD_SERVER"])]
[GitHubWorkflowJob("deploy", "deploy",
    InvokedTargets = [nameof(Deploy)],
    BuildArguments = "--commit ${{ github.event.workflow_run.head_sha }}",
    EnvironmentName = "production",
    EnvironmentUrlOutput = "app-url",
    Outputs = ["app-url"])]
public sealed class Build
{
    public static IReadOnlyList<string> TargetNames { get; } =
    [
        "Clean", "Restore", "Compile", "Test", "Publish", "DockerBuild", "Scan", nameof(PushEcr),
        "BumpTag", "ArgoSync", "GetUrl", nameof(Deploy), "Validate", "GenerateWorkflows",
    ];

    public static IReadOnlyList<string> ParameterNames { get; } =
        ["Configuration", "DefaultBranch", "Commit", "EcrRepository", "EksClusterName", "ArgoCdServer", "ArgoCdAuthToken"];

    public static BuildSurface Surface { get; } = new(TargetNames, ParameterNames) { Source = "build/Build.CI.GitHubActions.cs" };

    public static object? PushEcr => null;
    public static object? Deploy => null;
}
