using System.Text.RegularExpressions;
using CloudAge.Common.Text;
using CloudAge.Workflows.Generation;

namespace CloudAge.Workflows.Validation;

/// <summary>Checks every workflow attribute before anything is written and collects all problems at once.</summary>
internal static partial class WorkflowValidator
{
    public static IReadOnlyList<string> Validate(WorkflowDefinitions definitions, BuildSurface surface)
    {
        var problems = new List<string>();
        var names = definitions.Workflows.Select(w => w.Name).ToList();
        if (definitions.Workflows.Count == 0)
            problems.Add("No [GitHubWorkflow] attribute found: declare at least one workflow.");
        foreach (var duplicate in names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            problems.Add($"Workflow '{duplicate.Key}' is declared {duplicate.Count()} times; workflow names (and so file names) must be unique.");
        foreach (var workflow in definitions.Workflows)
        {
            var jobs = definitions.Jobs.Where(j => j.Workflow == workflow.Name).ToList();
            var inputs = definitions.Inputs.Where(i => i.Workflow == workflow.Name).ToList();
            ValidateWorkflow(workflow, jobs, inputs, names, surface, problems);
            JobValidator.Validate(workflow, jobs, surface, problems);
        }
        foreach (var job in definitions.Jobs.Where(j => !names.Contains(j.Workflow, StringComparer.Ordinal)))
            problems.Add($"Job '{job.Id}' belongs to workflow '{job.Workflow}', which is not declared.{DidYouMean.Hint(job.Workflow, names)}");
        foreach (var input in definitions.Inputs.Where(i => !names.Contains(i.Workflow, StringComparer.Ordinal)))
            problems.Add($"Input '{input.Name}' belongs to workflow '{input.Workflow}', which is not declared.{DidYouMean.Hint(input.Workflow, names)}");
        return problems;
    }

    private static void ValidateWorkflow(GitHubWorkflowAttribute workflow, List<GitHubWorkflowJobAttribute> jobs, List<GitHubWorkflowInputAttribute> inputs,
        List<string> names, BuildSurface surface, List<string> problems)
    {
        var where = $"Workflow '{workflow.Name}'";
        if (!FileName().IsMatch(workflow.Name))
            problems.Add($"{where}: the name must be lower-case letters, digits, '-', '_' or '.', because it becomes the file name.");
        if (workflow.OnPushBranches.Length + workflow.OnPushIncludePaths.Length + workflow.OnPushExcludePaths.Length
            + workflow.OnPullRequestBranches.Length + workflow.OnPullRequestIncludePaths.Length + workflow.OnPullRequestExcludePaths.Length
            + workflow.OnWorkflowRunWorkflows.Length + workflow.OnCronSchedule.Length == 0 && !workflow.OnWorkflowDispatch)
            problems.Add($"{where} has no trigger: set OnPushBranches, OnPullRequestBranches, OnWorkflowDispatch, OnWorkflowRunWorkflows or OnCronSchedule.");
        if (jobs.Count == 0)
            problems.Add($"{where} has no job: add [GitHubWorkflowJob(\"{workflow.Name}\", \"<job-id>\", InvokedTargets = [...])].");
        if (workflow.OnPushIncludePaths.Length > 0 && workflow.OnPushExcludePaths.Length > 0)
            problems.Add($"{where}: GitHub rejects paths and paths-ignore on one push trigger; use OnPushIncludePaths with '!' patterns instead.");
        if (workflow.OnPullRequestIncludePaths.Length > 0 && workflow.OnPullRequestExcludePaths.Length > 0)
            problems.Add($"{where}: GitHub rejects paths and paths-ignore on one pull_request trigger; use OnPullRequestIncludePaths with '!' patterns instead.");
        foreach (var upstream in workflow.OnWorkflowRunWorkflows)
        {
            if (upstream == workflow.Name)
                problems.Add($"{where} is triggered by its own completion (OnWorkflowRunWorkflows), which would loop.");
            else if (!names.Contains(upstream, StringComparer.Ordinal))
                problems.Add($"{where}: OnWorkflowRunWorkflows names '{upstream}', which is not a declared workflow.{DidYouMean.Hint(upstream, names.Where(n => n != workflow.Name).ToList())}");
        }
        if (workflow.OnWorkflowRunBranches.Length > 0 && workflow.OnWorkflowRunWorkflows.Length == 0)
            problems.Add($"{where}: OnWorkflowRunBranches is set but OnWorkflowRunWorkflows is empty.");
        foreach (var cron in workflow.OnCronSchedule.Where(c => c.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 5))
            problems.Add($"{where}: schedule '{cron}' is not a cron expression of five fields (minute hour day month weekday).");
        if (workflow.TimeoutMinutes <= 0)
            problems.Add($"{where}: TimeoutMinutes must be positive (got {workflow.TimeoutMinutes}).");
        if (workflow.FetchDepth < 0)
            problems.Add($"{where}: FetchDepth must be 0 (whole history) or positive (got {workflow.FetchDepth}).");
        if (workflow.ConcurrencyGroup is null && workflow.ConcurrencyCancelInProgress)
            problems.Add($"{where}: ConcurrencyCancelInProgress needs a ConcurrencyGroup.");
        // The group of a workflow_run workflow is written inside an expression that only trusted runs claim it by.
        if (workflow.OnWorkflowRunWorkflows.Length > 0 && workflow.ConcurrencyGroup is { } group
            && (group.Length == 0 || group.Contains("${{", StringComparison.Ordinal) || group.Contains('{', StringComparison.Ordinal) || group.Contains('}', StringComparison.Ordinal)))
            problems.Add($"{where}: ConcurrencyGroup '{group}' must be a plain name (such as \"deploy\") on a workflow with OnWorkflowRunWorkflows; only runs that pass the workflow_run gate claim it.");
        if (workflow.CacheKeyFiles.Length == 0 || workflow.CacheKeyFiles.Any(f => f.Length == 0 || f.Contains('\'', StringComparison.Ordinal)))
            problems.Add($"{where}: CacheKeyFiles must be non-empty globs without quotes (they go into hashFiles('...')).");
        ValidatePermissions(workflow, where, problems);
        ValidateImports(workflow, where, surface, problems);
        ValidateInputs(workflow, inputs, where, problems);
    }

    private static void ValidatePermissions(GitHubWorkflowAttribute workflow, string where, List<string> problems)
    {
        foreach (var both in workflow.ReadPermissions.Intersect(workflow.WritePermissions))
            problems.Add($"{where}: permission {both} is both read and write; list it once.");
        var permissions = WorkflowBuilder.Permissions(workflow);
        if (!permissions.Any(p => p.Key == "contents"))
            problems.Add($"{where}: every job checks out the repository, so it needs Contents in ReadPermissions (or WritePermissions).");
        var oidc = workflow.AwsAuth is AwsAuthentication.OidcRole or AwsAuthentication.OidcRoleOrStaticKeys;
        if (oidc && !workflow.WritePermissions.Contains(GitHubTokenScope.IdToken))
            problems.Add($"{where}: AwsAuth {workflow.AwsAuth} assumes a role with GitHub's OIDC token; add GitHubTokenScope.IdToken to WritePermissions.");
        if (workflow.AwsAuth == AwsAuthentication.None)
            return;
        foreach (var (property, reference) in new[] { ("AwsRoleArn", workflow.AwsRoleArn), ("AwsRegion", workflow.AwsRegion) })
        {
            if (!ContextReference().IsMatch(reference))
                problems.Add($"{where}: {property} '{reference}' must be 'vars.NAME' or 'secrets.NAME'.");
        }
        // Secrets cannot be read in a step's if:, so the role/keys switch can only test a variable.
        if (workflow.AwsAuth == AwsAuthentication.OidcRoleOrStaticKeys && !workflow.AwsRoleArn.StartsWith("vars.", StringComparison.Ordinal))
            problems.Add($"{where}: AwsAuth OidcRoleOrStaticKeys chooses by whether the role is set, which only works with a repository variable (AwsRoleArn = \"vars.NAME\"); a role ARN is not a secret.");
    }

    private static void ValidateImports(GitHubWorkflowAttribute workflow, string where, BuildSurface surface, List<string> problems)
    {
        var mappings = workflow.ImportSecrets.Concat(workflow.ImportVariables).Select(Mapping.Parse).ToList();
        foreach (var mapping in mappings.Where(m => !EnvName().IsMatch(m.Target) || !EnvName().IsMatch(m.Source)))
            problems.Add($"{where}: import '{mapping.Target}={mapping.Source}' is not NAME or ENV_NAME=NAME (letters, digits, '_').");
        foreach (var duplicate in mappings.GroupBy(m => m.Target, StringComparer.Ordinal).Where(g => g.Count() > 1))
            problems.Add($"{where}: environment variable '{duplicate.Key}' is imported {duplicate.Count()} times.");
        if (surface.ParameterNames is not { } parameters)
            return;
        foreach (var mapping in mappings.Where(m => !parameters.Any(p => DidYouMean.Normalize(p) == DidYouMean.Normalize(m.Target))))
            problems.Add($"{where}: imported environment variable '{mapping.Target}' binds to no build parameter, so the build would ignore it.{DidYouMean.Hint(mapping.Target, parameters)}");
    }

    private static void ValidateInputs(GitHubWorkflowAttribute workflow, List<GitHubWorkflowInputAttribute> inputs, string where, List<string> problems)
    {
        if (inputs.Count > 0 && !workflow.OnWorkflowDispatch)
            problems.Add($"{where} declares dispatch inputs ({string.Join(", ", inputs.Select(i => i.Name))}) but OnWorkflowDispatch is false.");
        foreach (var input in inputs.Where(i => !Identifier().IsMatch(i.Name)))
            problems.Add($"{where}: input '{input.Name}' must start with a letter or '_' and hold only letters, digits, '-' and '_'.");
        foreach (var input in inputs.Where(i => i.Type is not ("string" or "boolean")))
            problems.Add($"{where}: input '{input.Name}' has type '{input.Type}'; use \"string\" or \"boolean\".");
        foreach (var input in inputs.Where(i => i.Type == "boolean" && i.Default is not (null or "true" or "false")))
            problems.Add($"{where}: boolean input '{input.Name}' has default '{input.Default}'; use \"true\" or \"false\".");
        foreach (var duplicate in inputs.GroupBy(i => i.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            problems.Add($"{where}: input '{duplicate.Key}' is declared {duplicate.Count()} times.");
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex FileName();

    [GeneratedRegex("^(vars|secrets)\\.[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex ContextReference();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    internal static partial Regex EnvName();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]*$")]
    internal static partial Regex Identifier();
}
