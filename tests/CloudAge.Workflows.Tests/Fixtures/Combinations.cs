namespace CloudAge.Workflows.Tests.Fixtures;

/// <summary>Attribute sets that together use every option of the generator, for actionlint and the validation tests.</summary>
public static class Combinations
{
    public static BuildSurface Surface { get; } = new(
        ["Compile", "Test", "Publish", "PushEcr", "Deploy", "Smoke", "Validate"],
        ["Commit", "ImageTag", "EcrRepository", "ArgoCdAuthToken", "ArgoCdServer", "SlackWebhook", "Environment"])
    {
        // Not the real build's file: proves the generator names what it is given, not a path of its own.
        Source = "ci/Combinations.cs",
    };

    public static IReadOnlyDictionary<string, WorkflowDefinitions> All { get; } = new Dictionary<string, WorkflowDefinitions>
    {
        ["multi-job"] = new(
            [
                new GitHubWorkflowAttribute("ci")
                {
                    OnPushBranches = ["main", "release/**"],
                    OnPushIncludePaths = ["app/**", "build/**", "!**/*.md"],
                    OnPullRequestBranches = ["main"],
                    OnPullRequestExcludePaths = ["docs/**"],
                    OnWorkflowDispatch = true,
                    OnCronSchedule = ["0 3 * * 1", "*/30 6-18 * * 1-5"],
                    ReadPermissions = [GitHubTokenScope.Contents, GitHubTokenScope.Actions],
                    WritePermissions = [GitHubTokenScope.IdToken, GitHubTokenScope.PullRequests, GitHubTokenScope.Checks],
                    ConcurrencyGroup = "ci-${{ github.ref }}",
                    ConcurrencyCancelInProgress = true,
                    TimeoutMinutes = 45,
                    FetchDepth = 1,
                    CacheKeyFiles = ["global.json", "**/packages.lock.json"],
                    AwsAuth = AwsAuthentication.OidcRole,
                    AwsRoleArn = "secrets.AWS_ROLE_ARN",
                    AwsRegion = "vars.REGION",
                    ImportSecrets = ["SLACK_WEBHOOK=SLACK_WEBHOOK_URL"],
                    ImportVariables = ["ECR_REPOSITORY"],
                },
            ],
            [
                new GitHubWorkflowJobAttribute("ci", "test") { InvokedTargets = ["Compile", "Test"], TimeoutMinutes = 15 },
                new GitHubWorkflowJobAttribute("ci", "push")
                {
                    InvokedTargets = ["PushEcr"],
                    Needs = ["test"],
                    BuildArguments = "--image-tag ${{ inputs.image-tag }}",
                    Outputs = ["image-tag", "digest=image-digest"],
                    If = "github.ref == 'refs/heads/main'",
                },
                new GitHubWorkflowJobAttribute("ci", "smoke")
                {
                    InvokedTargets = ["Smoke"],
                    Needs = ["push", "test"],
                    NeedsOutputs = ["push.image-tag", "DIGEST=push.digest"],
                    EnvironmentName = "staging",
                    EnvironmentUrlOutput = "app-url",
                },
            ],
            [
                new GitHubWorkflowInputAttribute("ci", "image-tag") { Description = "Tag to push", Required = false, Default = "latest" },
                new GitHubWorkflowInputAttribute("ci", "environment") { Description = "Where to run the smoke test", Required = true },
            ]),
        ["run-after-and-by-hand"] = new(
            [
                new GitHubWorkflowAttribute("upstream") { OnPushBranches = ["**"], AwsAuth = AwsAuthentication.StaticKeys },
                new GitHubWorkflowAttribute("downstream")
                {
                    OnWorkflowRunWorkflows = ["upstream"],
                    OnWorkflowDispatch = true,
                    WritePermissions = [GitHubTokenScope.Contents, GitHubTokenScope.Deployments],
                    ConcurrencyGroup = "downstream",
                },
            ],
            [
                new GitHubWorkflowJobAttribute("upstream", "build") { InvokedTargets = ["Compile"] },
                new GitHubWorkflowJobAttribute("downstream", "deploy")
                {
                    InvokedTargets = ["Deploy"],
                    BuildArguments = "--commit ${{ github.event.workflow_run.head_sha || github.sha }}",
                    If = "github.actor != 'dependabot[bot]'",
                    EnvironmentName = "production",
                },
            ],
            []),
        ["run-after-with-a-needing-job"] = new(
            [
                new GitHubWorkflowAttribute("upstream") { OnPushBranches = ["**"] },
                new GitHubWorkflowAttribute("downstream") { OnWorkflowRunWorkflows = ["upstream"] },
            ],
            [
                new GitHubWorkflowJobAttribute("upstream", "build") { InvokedTargets = ["Compile"] },
                new GitHubWorkflowJobAttribute("downstream", "check") { InvokedTargets = ["Validate"] },
                // always(): without the gate of its own this job would run even when check was skipped for an untrusted run.
                new GitHubWorkflowJobAttribute("downstream", "report") { InvokedTargets = ["Compile"], Needs = ["check"], If = "always()" },
            ],
            []),
        ["quoting"] = new(
            [
                new GitHubWorkflowAttribute("odd-values")
                {
                    OnPushBranches = ["*", "yes", "on", "1.0", "feature/#1"],
                    OnPushExcludePaths = ["!keep", "- dash", "a: b", "' quoted", "[ab]c"],
                    RunsOn = "ubuntu-22.04",
                },
            ],
            [new GitHubWorkflowJobAttribute("odd-values", "_x") { InvokedTargets = ["validate"], BuildArguments = "--environment 'a b: c' # not a comment" }],
            []),
    };
}
