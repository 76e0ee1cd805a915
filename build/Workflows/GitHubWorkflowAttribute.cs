namespace CloudAge.Workflows;

/// <summary>
/// Declares one GitHub Actions workflow, written to <c>.github/workflows/&lt;name&gt;.yml</c>: its triggers,
/// permissions, concurrency and the settings every job of it shares. Jobs are declared with
/// <see cref="GitHubWorkflowJobAttribute"/>, dispatch inputs with <see cref="GitHubWorkflowInputAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GitHubWorkflowAttribute(string name) : Attribute
{
    /// <summary>The workflow's <c>name:</c> and file name; other workflows' <c>workflow_run</c> triggers refer to it.</summary>
    public string Name { get; } = name;

    public string RunsOn { get; set; } = "ubuntu-latest";

    /// <summary>A push trigger is written when any OnPush* property is set; <c>["**"]</c> means every branch.</summary>
    public string[] OnPushBranches { get; set; } = [];
    public string[] OnPushIncludePaths { get; set; } = [];
    /// <summary>Written as <c>paths-ignore</c>; GitHub forbids combining it with <see cref="OnPushIncludePaths"/>.</summary>
    public string[] OnPushExcludePaths { get; set; } = [];
    /// <summary>A pull_request trigger is written when any OnPullRequest* property is set.</summary>
    public string[] OnPullRequestBranches { get; set; } = [];
    public string[] OnPullRequestIncludePaths { get; set; } = [];
    public string[] OnPullRequestExcludePaths { get; set; } = [];
    public bool OnWorkflowDispatch { get; set; }
    /// <summary>Names of workflows whose completion starts this one; its root jobs get the success gate.</summary>
    public string[] OnWorkflowRunWorkflows { get; set; } = [];
    public string[] OnWorkflowRunBranches { get; set; } = [];
    public string[] OnCronSchedule { get; set; } = [];

    /// <summary>Least privilege: when neither list is given the workflow gets <c>contents: read</c> only.</summary>
    public GitHubTokenScope[] ReadPermissions { get; set; } = [];
    public GitHubTokenScope[] WritePermissions { get; set; } = [];

    public string? ConcurrencyGroup { get; set; }
    public bool ConcurrencyCancelInProgress { get; set; }

    public int TimeoutMinutes { get; set; } = 30;
    /// <summary>0 fetches the whole history, which git-based versioning (tags, commit counts) needs.</summary>
    public int FetchDepth { get; set; }
    /// <summary>Globs hashed into the cache key of the NuGet and build caches.</summary>
    public string[] CacheKeyFiles { get; set; } = ["global.json", "Directory.Packages.props", "**/*.csproj", "build/**/*.cs"];

    /// <summary>Secrets passed to the build step as environment variables: <c>NAME</c> or <c>ENV_NAME=SECRET_NAME</c>.</summary>
    public string[] ImportSecrets { get; set; } = [];
    /// <summary>Repository variables passed to the build step: <c>NAME</c> or <c>ENV_NAME=VARIABLE_NAME</c>.</summary>
    public string[] ImportVariables { get; set; } = [];

    public AwsAuthentication AwsAuth { get; set; }
    /// <summary>Where the role to assume comes from: <c>vars.NAME</c> or <c>secrets.NAME</c>.</summary>
    public string AwsRoleArn { get; set; } = "vars.AWS_ROLE_ARN";
    /// <summary>Where the region comes from: <c>vars.NAME</c> or <c>secrets.NAME</c>.</summary>
    public string AwsRegion { get; set; } = "vars.AWS_REGION";
}
