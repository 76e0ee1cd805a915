namespace CloudAge.Workflows.Yaml;

/// <summary>The <c>on:</c> section; written unquoted as in GitHub's documentation (YAML 1.2 reads it as a string).</summary>
internal sealed record TriggersNode
{
    public IReadOnlyList<string> PushBranches { get; init; } = [];
    public IReadOnlyList<string> PushPaths { get; init; } = [];
    public IReadOnlyList<string> PushPathsIgnore { get; init; } = [];
    public bool PullRequest { get; init; }
    public IReadOnlyList<string> PullRequestBranches { get; init; } = [];
    public IReadOnlyList<string> PullRequestPaths { get; init; } = [];
    public IReadOnlyList<string> PullRequestPathsIgnore { get; init; } = [];
    public bool WorkflowDispatch { get; init; }
    public IReadOnlyList<GitHubWorkflowInputAttribute> Inputs { get; init; } = [];
    public IReadOnlyList<string> WorkflowRunWorkflows { get; init; } = [];
    public IReadOnlyList<string> WorkflowRunBranches { get; init; } = [];
    public IReadOnlyList<string> Schedules { get; init; } = [];

    public bool Push => PushBranches.Count + PushPaths.Count + PushPathsIgnore.Count > 0;

    public void Write(YamlWriter yaml) => yaml.Map("on", () =>
    {
        if (Push)
            yaml.Map("push", () => Filters(yaml, PushBranches, PushPaths, PushPathsIgnore));
        if (PullRequest)
            yaml.Map("pull_request", () => Filters(yaml, PullRequestBranches, PullRequestPaths, PullRequestPathsIgnore));
        if (WorkflowDispatch && Inputs.Count == 0)
            yaml.Empty("workflow_dispatch");
        else if (WorkflowDispatch)
            yaml.Map("workflow_dispatch", () => yaml.Map("inputs", () => Inputs.ToList().ForEach(input => WriteInput(yaml, input))));
        if (WorkflowRunWorkflows.Count > 0)
        {
            yaml.Map("workflow_run", () =>
            {
                yaml.List("workflows", WorkflowRunWorkflows);
                yaml.List("types", ["completed"]);
                if (WorkflowRunBranches.Count > 0)
                    yaml.List("branches", WorkflowRunBranches);
            });
        }
        if (Schedules.Count > 0)
            yaml.ListOfMaps("schedule", Schedules.Select(cron => (Action)(() => yaml.Scalar("cron", cron))));
    });

    private static void Filters(YamlWriter yaml, IReadOnlyList<string> branches, IReadOnlyList<string> paths, IReadOnlyList<string> pathsIgnore)
    {
        if (branches.Count > 0)
            yaml.List("branches", branches);
        if (paths.Count > 0)
            yaml.List("paths", paths);
        if (pathsIgnore.Count > 0)
            yaml.List("paths-ignore", pathsIgnore);
    }

    private static void WriteInput(YamlWriter yaml, GitHubWorkflowInputAttribute input) => yaml.Map(input.Name, () =>
    {
        yaml.Scalar("description", input.Description);
        yaml.Scalar("required", input.Required);
        yaml.Scalar("type", input.Type);
        if (input.Default is not null && input.Type == "boolean")
            yaml.Scalar("default", bool.Parse(input.Default));
        else if (input.Default is not null)
            yaml.Scalar("default", input.Default);
    });
}
