using CloudAge.Workflows;

namespace CloudAge.Build;

// The workflows CloudAge ships with; ./build.sh GenerateWorkflows writes .github/workflows from these attributes
// and Validate fails when the committed files differ. Attributes only: nothing else belongs in this file.
//
// pull-request gates every change: Compile, Test and Validate (manifests and workflow drift), annotated on the diff.
// build-and-push runs the same gate before anything is built into an image (DockerBuild is ordered after Test and
// Validate), one run at a time, so an older run can never move `latest` last. It runs on pushes only: a run started by
// hand would take the place of a push run waiting in the group (GitHub cancels a pending run when another is queued),
// and its image would not be deployed (deploy follows push runs); a rebuild is a push, and deploy's own Run workflow
// deploys any commit already pushed.
// deploy starts only from a successful push build of this repository's default branch, or by hand (redeploy, rollback).
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
    BuildArguments = "--platforms linux/amd64,linux/arm64",
    Outputs = ["image-tag", "image-digest", "image-uri", "image-platforms"])]
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
// Required: main's head is usually the bot's tag-bump commit or a docs commit, which build-and-push never builds.
[GitHubWorkflowInput("deploy", "commit",
    Required = true,
    Description = "Commit whose image to deploy: its sha (7 to 40 hex), e.g. 3f2a9c1 for the image sha-3f2a9c1")]
[GitHubWorkflowInput("deploy", "allow-rollback",
    Type = "boolean", Default = "false",
    Description = "Allow deploying an image older than the one deployed (rollback)")]
[GitHubWorkflowJob("deploy", "deploy",
    InvokedTargets = [nameof(Deploy)],
    EnvironmentVariables =
    [
        "COMMIT=github.event.workflow_run.head_sha || inputs.commit",
        "ALLOW_ROLLBACK=inputs.allow-rollback == true",
        // BumpTag pushes the tag bump with this token (checkout keeps none); pushes made with it start no workflow.
        "GIT_TOKEN=github.token",
    ],
    EnvironmentName = "production",
    EnvironmentUrlOutput = "app-url",
    Outputs = ["app-url"])]
public sealed partial class Build;
