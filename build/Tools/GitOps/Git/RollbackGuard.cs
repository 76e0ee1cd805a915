using CloudAge.Tools.GitOps.ImageBump;

namespace CloudAge.Tools.GitOps.Git;

/// <summary>
/// Refuses to replace a deployed image with one built from an older commit (a strict ancestor), or from a commit the
/// repository does not know (it cannot be ordered), unless rollback is allowed. When the deployed image's commit is
/// unknown (the placeholder of a first deploy, a tag that names no commit) it warns and lets the deploy go on.
/// </summary>
internal static class RollbackGuard
{
    public static async Task CheckAsync(GitCommand git, WriteBackRequest request, IReadOnlyList<ImageChange> changes, Action<string> log, CancellationToken cancellationToken)
    {
        var image = request.Image;
        var named = request.ImageCommit ?? ImageCommit.FromTag(image.Tag);
        var incoming = await ResolveAsync(git, named, cancellationToken);
        if (incoming is null && named is not null)
        {
            // A commit the repository does not know cannot be ordered against the deployed one: it may be older, or from a
            // fork or a rewritten branch. Deploying it is a decision, not a default.
            // A shallow clone (actions/checkout's default fetch-depth: 1) lacks older commits; a full one that lacks the
            // commit does not have it on the branch, where --unshallow would only fail ("on a complete repository").
            var shallow = (await git.TryAsync(cancellationToken, "rev-parse", "--is-shallow-repository")).StandardOutput.Trim() == "true";
            var what = shallow
                ? $"{image.Reference} was built from commit {named}, which this shallow clone does not have"
                : $"{image.Reference} was built from commit {named}, which is not on {request.Branch} of {request.Remote}";
            var remedy = shallow
                ? "Fetch the full history (git fetch --unshallow; on GitHub Actions, actions/checkout with fetch-depth: 0)"
                : "Push that commit to the branch first";
            if (!request.AllowRollback)
                throw new WriteBackException($"Refusing to deploy an image that cannot be ordered against the deployed one: {what}. " +
                    $"{remedy}, or pass --allow-rollback to deploy it anyway.");
            log($"warning: deploying on request although {what}.");
            return;
        }
        if (incoming is null)
        {
            log($"warning: cannot tell which commit {image.Reference} was built from (its tag is not sha-<hex>; pass --commit); rollback guard skipped.");
            return;
        }
        foreach (var deployed in changes.Select(c => c.OldReference).Distinct(StringComparer.Ordinal))
        {
            var deployedCommit = await ResolveAsync(git, ImageCommit.FromTag(ImageCommit.TagOf(deployed, image.Repository)), cancellationToken);
            if (deployedCommit is null)
            {
                log($"warning: cannot tell which commit the deployed {deployed} was built from (placeholder tag, or a shallow clone without it); proceeding.");
                continue;
            }
            if (deployedCommit == incoming)
                continue;
            var ancestor = await git.TryAsync(cancellationToken, "merge-base", "--is-ancestor", incoming, deployedCommit);
            if (ancestor.ExitCode != 0)
                continue;
            var what = $"{image.Reference} was built from {incoming[..12]}, an ancestor of {deployedCommit[..12]} that the deployed {deployed} was built from";
            if (!request.AllowRollback)
                throw new WriteBackException($"Refusing to move the deployment backwards: {what}. Pass --allow-rollback to roll back on purpose.");
            log($"warning: rolling back on request: {what}.");
        }
    }

    private static async Task<string?> ResolveAsync(GitCommand git, string? commit, CancellationToken cancellationToken)
    {
        if (commit is null)
            return null;
        var result = await git.TryAsync(cancellationToken, "rev-parse", "--verify", "--quiet", commit + "^{commit}");
        return result.ExitCode == 0 ? result.StandardOutput.Trim() : null;
    }
}
