using CloudAge.Common.Processes;
using CloudAge.Common.Text;

namespace CloudAge.Tools.GitOps.Git;

/// <summary>Asks the remote where a branch is (<c>git ls-remote</c>), with the write-back's credentials, timeout and retries.</summary>
public static class GitRemote
{
    /// <summary>The commit <paramref name="branch"/> points at on <paramref name="remote"/>; throws <see cref="WriteBackException"/> saying why not.</summary>
    public static async Task<string> HeadAsync(ProcessRunner runner, string directory, string branch, string? token, TimeSpan timeout, Action<string> log,
        CancellationToken cancellationToken, string remote = "origin")
    {
        ArgumentNullException.ThrowIfNull(runner);
        var git = new GitCommand(runner, directory, await GitCredentials.EnvironmentAsync(runner, directory, remote, token, cancellationToken), timeout, log);
        var result = await git.NetworkAsync(cancellationToken, "ls-remote", "--exit-code", remote, "refs/heads/" + branch);
        var head = result.StandardOutput.Split('\t')[0].Trim();
        if (result.ExitCode == 0 && head.Length >= 40)
            return head;
        // --exit-code: 2 when the remote answered but has no such branch.
        throw new WriteBackException(runner.Masker.Redact(result.ExitCode == 2
            ? $"The remote '{remote}' has no branch '{branch}'; pass --default-branch with the branch Argo CD tracks."
            : GitRefusal.Describe(result.StandardError, $"reading branch '{branch}' of '{remote}' (git ls-remote)", write: false)
              ?? $"'git ls-remote {remote}' could not read branch '{branch}' (exit {result.ExitCode}): {PeerText.OneLine(result.StandardError, 400)}. " +
              "Check the remote's URL and that GIT_TOKEN (or the checkout's credentials) may read it."));
    }
}
