using CloudAge.Workflows;

namespace CloudAge.Build;

// The two workflows CloudAge ships with; ./build.sh GenerateWorkflows writes .github/workflows from these attributes
// and Validate fails when the committed files differ. Attributes only: nothing else belongs in this file.
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
    BuildArguments = "--platforms linux/amd64,linux/arm64",
    Outputs = ["image-tag", "image-digest", "image-uri", "image-platforms"])]
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
public sealed partial class Build;
