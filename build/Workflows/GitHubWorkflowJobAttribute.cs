namespace CloudAge.Workflows;

/// <summary>
/// Declares one job of a workflow: the build targets it runs with <c>./build.sh</c>, the jobs it needs,
/// the outputs it passes on and the environment it deploys to.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GitHubWorkflowJobAttribute(string workflow, string id) : Attribute
{
    public string Workflow { get; } = workflow;
    public string Id { get; } = id;

    /// <summary>Target names, best written with <c>nameof(Build.PushEcr)</c>.</summary>
    public string[] InvokedTargets { get; set; } = [];
    /// <summary>Extra command-line arguments, for example <c>--commit ${{ github.event.workflow_run.head_sha }}</c>.</summary>
    public string? BuildArguments { get; set; }

    public string[] Needs { get; set; } = [];
    /// <summary>Job outputs taken from the build step (id <c>build</c>): <c>name</c> or <c>name=step-output</c>.</summary>
    public string[] Outputs { get; set; } = [];
    /// <summary>Outputs of needed jobs passed to the build step: <c>job.output</c> (env <c>OUTPUT</c>) or <c>ENV_NAME=job.output</c>.</summary>
    public string[] NeedsOutputs { get; set; } = [];

    public string? EnvironmentName { get; set; }
    /// <summary>The build step output that holds the environment's URL (for example <c>app-url</c>).</summary>
    public string? EnvironmentUrlOutput { get; set; }

    /// <summary>
    /// Environment variables of the build step as <c>NAME=expression</c> (expression without <c>${{ }}</c>), for example
    /// <c>COMMIT=github.event.workflow_run.head_sha || inputs.commit</c>; NAME must bind to a build parameter.
    /// </summary>
    public string[] EnvironmentVariables { get; set; } = [];

    /// <summary>Runs scripts/ci/prepare-test-runner.sh (Docker engine, registry, moto, npm packages) before the build, for jobs that run Test.</summary>
    public bool PrepareTestRunner { get; set; }

    /// <summary>An extra job condition (expression without <c>${{ }}</c>); combined with the workflow_run success gate.</summary>
    public string? If { get; set; }
    /// <summary>0 uses the workflow's <see cref="GitHubWorkflowAttribute.TimeoutMinutes"/>.</summary>
    public int TimeoutMinutes { get; set; }
}
