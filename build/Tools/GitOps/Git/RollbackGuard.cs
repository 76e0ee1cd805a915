using CloudAge.Tools.GitOps.ImageBump;

namespace CloudAge.Tools.GitOps.Git;

/// <summary>
/// Refuses to replace a deployed image with one built from an older commit (a strict ancestor), unless
/// rollback is allowed. When either commit is unknown here it warns and lets the deploy go on.
/// </summary>
internal static class RollbackGuard
{
    public static async Task CheckAsync(GitCommand git, WriteBackRequest request, IReadOnlyList<ImageChange> changes, Action<string> log, CancellationToken cancellationToken)
    {
        var image = request.Image;
        var incoming = await ResolveAsync(git, request.ImageCommit ?? ImageCommit.FromTag(image.Tag), cancellationToken);
        if (incoming is null)
        {
            log($"warning: cannot tell which commit {image.Reference} was built from (tag not sha-<hex>, or commit not in this clone); rollback guard skipped.");
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
