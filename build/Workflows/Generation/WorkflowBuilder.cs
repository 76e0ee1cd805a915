using CloudAge.Workflows.Yaml;

namespace CloudAge.Workflows.Generation;

/// <summary>Turns one validated workflow's attributes into the node tree that writes its YAML.</summary>
internal static class WorkflowBuilder
{
    public static WorkflowNode Build(GitHubWorkflowAttribute workflow, IReadOnlyList<GitHubWorkflowJobAttribute> jobs, IReadOnlyList<GitHubWorkflowInputAttribute> inputs)
    {
        var triggers = new TriggersNode
        {
            PushBranches = workflow.OnPushBranches,
            PushPaths = workflow.OnPushIncludePaths,
            PushPathsIgnore = workflow.OnPushExcludePaths,
            PullRequest = workflow.OnPullRequestBranches.Length + workflow.OnPullRequestIncludePaths.Length + workflow.OnPullRequestExcludePaths.Length > 0,
            PullRequestBranches = workflow.OnPullRequestBranches,
            PullRequestPaths = workflow.OnPullRequestIncludePaths,
            PullRequestPathsIgnore = workflow.OnPullRequestExcludePaths,
            WorkflowDispatch = workflow.OnWorkflowDispatch,
            Inputs = inputs,
            WorkflowRunWorkflows = workflow.OnWorkflowRunWorkflows,
            WorkflowRunBranches = workflow.OnWorkflowRunBranches,
            Schedules = workflow.OnCronSchedule,
        };
        return new WorkflowNode(workflow.Name, triggers, OrderJobs(jobs).Select(job => Job(workflow, job)).ToList())
        {
            Permissions = Permissions(workflow),
            ConcurrencyGroup = ConcurrencyGroup(workflow),
            ConcurrencyCancelInProgress = workflow.ConcurrencyCancelInProgress,
        };
    }

    public static IReadOnlyList<KeyValuePair<string, string>> Permissions(GitHubWorkflowAttribute workflow)
    {
        if (workflow.ReadPermissions.Length + workflow.WritePermissions.Length == 0)
            return [new("contents", "read")];
        return Enum.GetValues<GitHubTokenScope>()
            .Where(p => workflow.ReadPermissions.Contains(p) || workflow.WritePermissions.Contains(p))
            .Select(p => new KeyValuePair<string, string>(Names.PermissionKey(p), workflow.WritePermissions.Contains(p) ? "write" : "read"))
            .ToList();
    }

    // GitHub claims a workflow-level concurrency group when the run is queued, before any job's if is evaluated, and a
    // newly queued run cancels the run pending in its group (docs.github.com "Control the concurrency of workflows and
    // jobs"). Every workflow_run event queues a run, also for a failed or cancelled upstream run: with a plain group, a
    // failed build's run would cancel the pending deploy of the successful build before it, then skip its own job, and
    // that build would never be deployed. Only a run that passes the gate claims the group; any other gets a group of
    // its own, so it cancels nothing and its jobs are skipped by the same gate.
    private static string? ConcurrencyGroup(GitHubWorkflowAttribute workflow)
    {
        if (workflow.ConcurrencyGroup is not { } group || WorkflowRunGate(workflow) is not { } gate)
            return workflow.ConcurrencyGroup;
        var literal = group.Replace("'", "''", StringComparison.Ordinal);
        return Names.Expression($"({gate}) && '{literal}' || format('{literal}-skipped-{{0}}', github.run_id)");
    }

    // Jobs come out by depth in the needs graph, then by id, so the file does not depend on the order
    // reflection happens to return attributes in.
    private static IEnumerable<GitHubWorkflowJobAttribute> OrderJobs(IReadOnlyList<GitHubWorkflowJobAttribute> jobs)
    {
        var byId = jobs.ToDictionary(j => j.Id, StringComparer.Ordinal);
        var depths = new Dictionary<string, int>(StringComparer.Ordinal);
        return jobs.OrderBy(Depth).ThenBy(j => j.Id, StringComparer.Ordinal);

        int Depth(GitHubWorkflowJobAttribute job)
        {
            if (!depths.TryGetValue(job.Id, out var depth))
                depths[job.Id] = depth = job.Needs.Length == 0 ? 0 : 1 + job.Needs.Max(n => Depth(byId[n]));
            return depth;
        }
    }

    private static JobNode Job(GitHubWorkflowAttribute workflow, GitHubWorkflowJobAttribute job)
    {
        // On every job, not only the first: a job whose needs were skipped still runs when its own if uses always(),
        // failure() or !cancelled(), and it would then run for an untrusted workflow_run with the repository's secrets.
        var gate = WorkflowRunGate(workflow);
        var condition = (gate, job.If) switch
        {
            (null, var own) => own,
            (var g, null) => g,
            var (g, own) => $"({g}) && ({own})",
        };
        var targets = string.Join(' ', job.InvokedTargets);
        return new JobNode(job.Id, targets, workflow.RunsOn, job.TimeoutMinutes > 0 ? job.TimeoutMinutes : workflow.TimeoutMinutes, JobSteps.For(workflow, job))
        {
            Needs = job.Needs,
            If = condition,
            EnvironmentName = job.EnvironmentName,
            EnvironmentUrl = job.EnvironmentUrlOutput is null ? null : StepOutput(job.EnvironmentUrlOutput),
            Outputs = job.Outputs.Select(Mapping.Parse).Select(m => new KeyValuePair<string, string>(m.Target, StepOutput(m.Source))).ToList(),
        };
    }

    // workflow_run fires whatever the upstream run concluded and for runs of any origin; only a trusted success
    // may go on. A manual run (only users with write access can start one) or a scheduled run has no upstream run and passes.
    private static string? WorkflowRunGate(GitHubWorkflowAttribute workflow)
    {
        if (workflow.OnWorkflowRunWorkflows.Length == 0)
            return null;
        var onlyWorkflowRun = !workflow.OnWorkflowDispatch && workflow.OnCronSchedule.Length == 0
            && workflow.OnPushBranches.Length + workflow.OnPushIncludePaths.Length + workflow.OnPushExcludePaths.Length == 0
            && workflow.OnPullRequestBranches.Length + workflow.OnPullRequestIncludePaths.Length + workflow.OnPullRequestExcludePaths.Length == 0;
        return onlyWorkflowRun ? Names.WorkflowRunTrusted : $"github.event_name != 'workflow_run' || ({Names.WorkflowRunTrusted})";
    }

    private static string StepOutput(string name) => Names.Expression($"steps.{Names.BuildStepId}.outputs.{name}");
}
