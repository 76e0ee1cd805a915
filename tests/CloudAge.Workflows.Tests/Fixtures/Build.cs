using CloudAge.Workflows;

namespace CloudAge.Workflows.Tests.Fixtures;

/// <summary>
/// Stands in for CloudAge's build class: the attribute block is the one build/Build.CI.GitHubActions.cs
/// carries, character for character, and the members give <c>nameof</c> the same names the real
/// targets and parameters have.
/// </summary>
[GitHubWorkflow("pull-request",
    OnPullRequestBranches = ["main"],
    ReadPermissions = [GitHubTokenScope.Contents],
    ConcurrencyGroup = "pull-request-${{ github.event.pull_request.number }}",
    ConcurrencyCancelInProgress = true,
    TimeoutMinutes = 45)]
[GitHubWorkflowJob("pull-request", "gate",
    InvokedTargets = [nameof(Compile), nameof(Test), nameof(Validate)],
    // Every failure of the change is reported at once: nothing is shipped from a pull request.
    BuildArguments = "--continue",
    PrepareTestRunner = true)]
[GitHubWorkflow("build-and-push",
    OnPushBranches = ["main"],
    OnPushExcludePaths = ["k8s/**", "argocd/**", "docs/**", "**/*.md"],
    OnWorkflowDispatch = true,
    ReadPermissions = [GitHubTokenScope.Contents],
    WritePermissions = [GitHubTokenScope.IdToken],
    ConcurrencyGroup = "build-and-push",
    ConcurrencyCancelInProgress = false,
    TimeoutMinutes = 45,
    AwsAuth = AwsAuthentication.OidcRoleOrStaticKeys,
    AwsRoleArn = "vars.AWS_PUSH_ROLE_ARN",
    ImportVariables = ["ECR_REPOSITORY"])]
[GitHubWorkflowJob("build-and-push", "build",
    InvokedTargets = [nameof(Test), nameof(Validate), nameof(PushEcr)],
    PrepareTestRunner = true,
    Outputs = ["image-tag", "image-digest", "image-uri"])]
[GitHubWorkflow("deploy",
    OnWorkflowRunWorkflows = ["build-and-push"],
    OnWorkflowRunBranches = ["main"],
    OnWorkflowDispatch = true,
    WritePermissions = [GitHubTokenScope.Contents, GitHubTokenScope.IdToken],
    ConcurrencyGroup = "deploy",
    ConcurrencyCancelInProgress = false,
    TimeoutMinutes = 30,
    AwsAuth = AwsAuthentication.OidcRoleOrStaticKeys,
    AwsRoleArn = "vars.AWS_DEPLOY_ROLE_ARN",
    ImportSecrets = ["ARGOCD_AUTH_TOKEN"],
    ImportVariables = ["ECR_REPOSITORY", "EKS_CLUSTER_NAME", "ARGOCD_SERVER"])]
[GitHubWorkflowInput("deploy", "commit",
    Description = "Commit whose image to deploy (sha-<7 hex>); empty deploys the commit the run starts from")]
[GitHubWorkflowInput("deploy", "allow-rollback",
    Type = "boolean", Default = "false",
    Description = "Allow deploying an image older than the one deployed (rollback)")]
[GitHubWorkflowJob("deploy", "deploy",
    InvokedTargets = [nameof(Deploy)],
    EnvironmentVariables =
    [
        "COMMIT=github.event.workflow_run.head_sha || inputs.commit || github.sha",
        "ALLOW_ROLLBACK=inputs.allow-rollback == true",
        // BumpTag pushes the tag bump with this token (checkout keeps none); pushes made with it start no workflow.
        "GIT_TOKEN=github.token",
    ],
    EnvironmentName = "production",
    EnvironmentUrlOutput = "app-url",
    Outputs = ["app-url"])]
public sealed class Build
{
    public static IReadOnlyList<string> TargetNames { get; } =
    [
        "Clean", "Restore", nameof(Compile), nameof(Test), "Publish", "DockerBuild", "Scan", nameof(PushEcr),
        "BumpTag", "ArgoSync", "GetUrl", nameof(Deploy), nameof(Validate), "GenerateWorkflows",
    ];

    public static IReadOnlyList<string> ParameterNames { get; } =
        ["Configuration", "DefaultBranch", "Commit", "AllowRollback", "GitToken", "EcrRepository", "EksClusterName", "ArgoCdServer", "ArgoCdAuthToken"];

    public static BuildSurface Surface { get; } = new(TargetNames, ParameterNames);

    public static object? Compile => null;
    public static object? Test => null;
    public static object? Validate => null;
    public static object? PushEcr => null;
    public static object? Deploy => null;
}
