using CloudAge.Common.Processes;

namespace CloudAge.Tools.GitOps.Git;

/// <summary>
/// Orders commits with git: a commit Argo CD reports deploys ours when ours is its ancestor
/// (<c>git merge-base --is-ancestor</c>). A commit this clone does not have yet is fetched from the branch once.
/// </summary>
public sealed class GitAncestry(ProcessRunner runner, string workingDirectory, string branch, Action<string> log, string remote = "origin")
{
    private bool _fetched;

    public async Task<bool> ContainsAsync(string candidate, string commit, CancellationToken cancellationToken)
    {
        var git = new GitCommand(runner, workingDirectory, new Dictionary<string, string?> { ["GIT_TERMINAL_PROMPT"] = "0" }, TimeSpan.FromMinutes(2), log);
        if (!await KnownAsync(git, candidate, cancellationToken) && !_fetched)
        {
            _fetched = true;
            try
            {
                await git.NetworkAsync(cancellationToken, "fetch", "--no-tags", "--quiet", remote, "refs/heads/" + branch);
            }
            catch (WriteBackException e)
            {
                // Unordered means "not yet ours": ArgoSync keeps waiting and says what it last saw.
                log($"warning: could not fetch {branch} from {remote} to order commit {candidate[..Math.Min(12, candidate.Length)]}: {e.Message}");
            }
        }
        if (!await KnownAsync(git, candidate, cancellationToken) || !await KnownAsync(git, commit, cancellationToken))
            return false;
        return (await git.TryAsync(cancellationToken, "merge-base", "--is-ancestor", commit, candidate)).ExitCode == 0;
    }

    private static async Task<bool> KnownAsync(GitCommand git, string commit, CancellationToken cancellationToken) =>
        (await git.TryAsync(cancellationToken, "cat-file", "-e", commit + "^{commit}")).ExitCode == 0;
}
