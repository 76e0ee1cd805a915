using CloudAge.Common.Text;
using CloudAge.Workflows.Generation;

namespace CloudAge.Workflows.Validation;

/// <summary>Checks the jobs of one workflow: ids, targets, needs, outputs and build arguments.</summary>
internal static class JobValidator
{
    // Options the engine itself understands; every other --flag must be a build parameter.
    private static readonly string[] EngineOptions = ["skip", "verbosity", "profile", "root", "parallel", "dry-run", "continue", "no-logo", "host", "target", "plan", "help"];

    public static void Validate(GitHubWorkflowAttribute workflow, List<GitHubWorkflowJobAttribute> jobs, BuildSurface surface, List<string> problems)
    {
        var ids = jobs.Select(j => j.Id).ToList();
        foreach (var duplicate in ids.GroupBy(i => i, StringComparer.Ordinal).Where(g => g.Count() > 1))
            problems.Add($"Workflow '{workflow.Name}' has {duplicate.Count()} jobs with id '{duplicate.Key}'; job ids must be unique.");
        foreach (var job in jobs)
            ValidateJob(workflow, job, jobs, surface, problems);
        FindCycle(jobs, problems, workflow.Name);
    }

    private static void ValidateJob(GitHubWorkflowAttribute workflow, GitHubWorkflowJobAttribute job, List<GitHubWorkflowJobAttribute> jobs, BuildSurface surface, List<string> problems)
    {
        var where = $"Job '{job.Id}' of workflow '{workflow.Name}'";
        var ids = jobs.Select(j => j.Id).Distinct().ToList();
        if (!WorkflowValidator.Identifier().IsMatch(job.Id))
            problems.Add($"{where}: a job id must start with a letter or '_' and hold only letters, digits, '-' and '_'.");
        if (job.InvokedTargets.Length == 0)
            problems.Add($"{where} invokes no target: set InvokedTargets = [nameof(Build.X)].");
        foreach (var target in job.InvokedTargets.Where(t => !surface.TargetNames.Any(n => DidYouMean.Normalize(n) == DidYouMean.Normalize(t))))
            problems.Add($"{where} invokes target '{target}', which does not exist.{DidYouMean.Hint(target, surface.TargetNames)}");
        foreach (var need in job.Needs)
        {
            if (need == job.Id)
                problems.Add($"{where} needs itself.");
            else if (!ids.Contains(need, StringComparer.Ordinal))
                problems.Add($"{where} needs job '{need}', which is not a job of this workflow.{DidYouMean.Hint(need, ids.Where(i => i != job.Id).ToList())}");
        }
        var outputs = job.Outputs.Select(Mapping.Parse).ToList();
        foreach (var output in outputs.Where(o => !WorkflowValidator.Identifier().IsMatch(o.Target) || !WorkflowValidator.Identifier().IsMatch(o.Source)))
            problems.Add($"{where}: output '{output.Target}' must be a name of letters, digits, '-' and '_' (optionally name=step-output).");
        foreach (var duplicate in outputs.GroupBy(o => o.Target, StringComparer.Ordinal).Where(g => g.Count() > 1))
            problems.Add($"{where}: output '{duplicate.Key}' is declared {duplicate.Count()} times.");
        ValidateNeedsOutputs(workflow, job, jobs, where, problems);
        if (job.EnvironmentUrlOutput is not null && job.EnvironmentName is null)
            problems.Add($"{where}: EnvironmentUrlOutput is set but EnvironmentName is not.");
        if (job.EnvironmentUrlOutput is { } url && !WorkflowValidator.Identifier().IsMatch(url))
            problems.Add($"{where}: EnvironmentUrlOutput '{url}' must be the name of a build step output.");
        if (job.TimeoutMinutes < 0)
            problems.Add($"{where}: TimeoutMinutes must be 0 (the workflow's) or positive (got {job.TimeoutMinutes}).");
        if (surface.ParameterNames is { } parameters)
            ValidateArguments(job, where, parameters, problems);
        ValidateEnvironmentVariables(job, where, surface, problems);
    }

    private static void ValidateEnvironmentVariables(GitHubWorkflowJobAttribute job, string where, BuildSurface surface, List<string> problems)
    {
        foreach (var text in job.EnvironmentVariables)
        {
            var mapping = Mapping.Parse(text);
            if (!text.Contains('=', StringComparison.Ordinal) || !WorkflowValidator.EnvName().IsMatch(mapping.Target) || mapping.Source.Length == 0)
                problems.Add($"{where}: EnvironmentVariables entry '{text}' is not NAME=expression, for example COMMIT=github.sha.");
            else if (mapping.Source.Contains("${{", StringComparison.Ordinal))
                problems.Add($"{where}: EnvironmentVariables entry '{text}' holds '${{{{'; write the bare expression, the generator wraps it.");
            else if (surface.ParameterNames is { } parameters && !parameters.Any(p => DidYouMean.Normalize(p) == DidYouMean.Normalize(mapping.Target)))
                problems.Add($"{where}: environment variable '{mapping.Target}' binds to no build parameter, so the build would ignore it.{DidYouMean.Hint(mapping.Target, parameters)}");
        }
    }

    private static void ValidateNeedsOutputs(GitHubWorkflowAttribute workflow, GitHubWorkflowJobAttribute job, List<GitHubWorkflowJobAttribute> jobs, string where, List<string> problems)
    {
        var envNames = workflow.ImportSecrets.Concat(workflow.ImportVariables).Select(m => Mapping.Parse(m).Target).ToList();
        foreach (var (env, needed, output) in job.NeedsOutputs.Select(Mapping.ParseNeedsOutput))
        {
            if (!job.Needs.Contains(needed, StringComparer.Ordinal))
            {
                problems.Add($"{where} reads output '{output}' of job '{needed}', which is not in its Needs ({string.Join(", ", job.Needs)}); " +
                    $"add '{needed}' to Needs or write NeedsOutputs as 'job.output'.");
                continue;
            }
            var source = jobs.FirstOrDefault(j => j.Id == needed);
            var declared = source?.Outputs.Select(o => Mapping.Parse(o).Target).ToList() ?? [];
            if (source is not null && !declared.Contains(output, StringComparer.Ordinal))
                problems.Add($"{where} reads output '{output}' of job '{needed}', which declares no such output.{DidYouMean.Hint(output, declared)}");
            if (!WorkflowValidator.EnvName().IsMatch(env))
                problems.Add($"{where}: environment variable name '{env}' for output '{needed}.{output}' must hold only letters, digits and '_'.");
            if (envNames.Contains(env, StringComparer.Ordinal))
                problems.Add($"{where}: environment variable '{env}' is set twice (an import and a needed job's output).");
            envNames.Add(env);
        }
    }

    private static void ValidateArguments(GitHubWorkflowJobAttribute job, string where, IReadOnlyCollection<string> parameters, List<string> problems)
    {
        var flags = (job.BuildArguments ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(a => a.StartsWith("--", StringComparison.Ordinal)).Select(a => a[2..]);
        foreach (var flag in flags.Where(f => !EngineOptions.Contains(f) && !parameters.Any(p => DidYouMean.Normalize(p) == DidYouMean.Normalize(f))))
            problems.Add($"{where}: BuildArguments passes '--{flag}', which is no build parameter.{DidYouMean.Hint(flag, parameters)}");
    }

    private static void FindCycle(List<GitHubWorkflowJobAttribute> jobs, List<string> problems, string workflow)
    {
        var byId = jobs.GroupBy(j => j.Id).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        foreach (var job in byId.Keys.Order(StringComparer.Ordinal))
        {
            if (Visit(job))
                return;
        }

        bool Visit(string id)
        {
            if (path.Contains(id))
            {
                var cycle = path.Skip(path.IndexOf(id)).Append(id);
                problems.Add($"Workflow '{workflow}' has a cycle in its job needs: {string.Join(" -> ", cycle)}.");
                return true;
            }
            if (!done.Add(id) || !byId.TryGetValue(id, out var job))
                return false;
            path.Add(id);
            var found = job.Needs.Where(n => n != id).Any(Visit);
            path.RemoveAt(path.Count - 1);
            return found;
        }
    }
}
