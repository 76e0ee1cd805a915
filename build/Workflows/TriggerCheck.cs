using CloudAge.Workflows.Triggers;

namespace CloudAge.Workflows;

/// <summary>A push to simulate: the branch, the files it changes, its head commit message and who pushed it.</summary>
public sealed record SimulatedPush(string Branch, IReadOnlyList<string> ChangedPaths, string CommitMessage)
{
    /// <summary>Pushes made with the workflow's GITHUB_TOKEN start no workflow run at all.</summary>
    public bool PushedWithGitHubToken { get; init; }
}

/// <summary>Whether a workflow would start, and the rule that decided it.</summary>
public sealed record TriggerDecision(bool Triggers, string Reason);

/// <summary>
/// The loop check: decides, as GitHub does, whether a push starts a workflow, so a test can prove that
/// the deploy's tag-bump commit starts no new build. Pure: no git, no network.
/// </summary>
public static class TriggerCheck
{
    // GitHub's documented markers for skipping push and pull_request runs. Matched exactly (case and
    // spacing), so the check never claims a skip that GitHub might not make.
    public static IReadOnlyList<string> SkipMarkers { get; } = ["[skip ci]", "[ci skip]", "[no ci]", "[skip actions]", "[actions skip]"];

    public static TriggerDecision OnPush(GitHubWorkflowAttribute workflow, SimulatedPush push)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(push);
        if (workflow.OnPushBranches.Length + workflow.OnPushIncludePaths.Length + workflow.OnPushExcludePaths.Length == 0)
            return new(false, $"'{workflow.Name}' has no push trigger.");
        if (push.PushedWithGitHubToken)
            return new(false, "Pushes made with GITHUB_TOKEN start no workflow runs.");
        if (SkipMarkers.FirstOrDefault(m => push.CommitMessage.Contains(m, StringComparison.Ordinal)) is { } marker)
            return new(false, $"The commit message contains '{marker}', which skips push runs.");
        if (workflow.OnPushBranches.Length > 0 && !FilterPattern.Included(push.Branch, workflow.OnPushBranches))
            return new(false, $"Branch '{push.Branch}' matches none of branches [{FilterPattern.Describe(workflow.OnPushBranches)}].");
        if (workflow.OnPushIncludePaths.Length > 0)
        {
            var hit = push.ChangedPaths.FirstOrDefault(p => FilterPattern.Included(p, workflow.OnPushIncludePaths));
            return hit is null
                ? new(false, $"No changed path matches paths [{FilterPattern.Describe(workflow.OnPushIncludePaths)}].")
                : new(true, $"'{hit}' matches paths [{FilterPattern.Describe(workflow.OnPushIncludePaths)}].");
        }
        if (workflow.OnPushExcludePaths.Length > 0)
        {
            var kept = push.ChangedPaths.FirstOrDefault(p => !FilterPattern.Included(p, workflow.OnPushExcludePaths));
            return kept is null
                ? new(false, $"Every changed path matches paths-ignore [{FilterPattern.Describe(workflow.OnPushExcludePaths)}].")
                : new(true, $"'{kept}' is not ignored by paths-ignore [{FilterPattern.Describe(workflow.OnPushExcludePaths)}].");
        }
        return new(true, $"Branch '{push.Branch}' matches and the push trigger has no path filter.");
    }
}
