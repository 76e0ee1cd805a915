using CloudAge.Common.Processes;
using CloudAge.Common.Text;

namespace CloudAge.Tools.GitOps.Git;

/// <summary>
/// Orders commits with git: a commit Argo CD reports deploys ours when ours is its ancestor
/// (<c>git merge-base --is-ancestor</c>). A commit this clone does not have yet is fetched from the branch, once per
/// commit, with the write-back's credentials (<see cref="GitCredentials"/>): a checkout without persisted credentials
/// can still fetch a private remote. A fetch that fails is said once per commit, and the commit counts as not yet ours.
/// </summary>
public sealed class GitAncestry(ProcessRunner runner, string workingDirectory, string branch, Action<string> log, string remote = "origin",
    string? token = null, TimeSpan? timeout = null)
{
    private readonly HashSet<string> _fetched = new(StringComparer.Ordinal);
    // One git (its environment and retry pipeline) for the whole wait, made on the first question: ArgoSync asks on every poll.
    private GitCommand? _git;

    public async Task<bool> ContainsAsync(string candidate, string commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        _git ??= new GitCommand(runner, workingDirectory, await GitCredentials.EnvironmentAsync(runner, workingDirectory, remote, token, cancellationToken),
            timeout ?? TimeSpan.FromMinutes(2), log);
        if (!await KnownAsync(candidate, cancellationToken) && _fetched.Add(candidate))
            await FetchAsync(candidate, cancellationToken);
        if (!await KnownAsync(candidate, cancellationToken) || !await KnownAsync(commit, cancellationToken))
            return false;
        return (await _git!.TryAsync(cancellationToken, "merge-base", "--is-ancestor", commit, candidate)).ExitCode == 0;
    }

    private async Task FetchAsync(string candidate, CancellationToken cancellationToken)
    {
        string? failure;
        try
        {
            var result = await _git!.NetworkAsync(cancellationToken, "fetch", "--no-tags", "--quiet", remote, "refs/heads/" + branch);
            failure = result.ExitCode == 0 ? null : $"git fetch exited {result.ExitCode}: {PeerText.OneLine(result.StandardError, 400)}";
        }
        catch (WriteBackException e)
        {
            failure = e.Message;
        }
        // Unordered means "not yet ours": ArgoSync keeps waiting and says what it last saw.
        if (failure is not null)
            log(runner.Masker.Redact($"warning: could not fetch {branch} from {remote} to order commit {candidate[..Math.Min(12, candidate.Length)]} ({failure}); " +
                "until it is fetched, ArgoSync cannot tell that it contains the deployed commit. Check that GIT_TOKEN (or the checkout's credentials) may read the remote."));
    }

    private async Task<bool> KnownAsync(string commit, CancellationToken cancellationToken) =>
        (await _git!.TryAsync(cancellationToken, "cat-file", "-e", commit + "^{commit}")).ExitCode == 0;
}
