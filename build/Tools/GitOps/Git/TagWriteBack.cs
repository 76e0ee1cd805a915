using System.Text;
using System.Text.RegularExpressions;
using CloudAge.Common.Processes;
using CloudAge.Common.Resilience;
using CloudAge.Common.Text;
using CloudAge.Tools.GitOps.ImageBump;

namespace CloudAge.Tools.GitOps.Git;

/// <summary>
/// Writes a new image into the manifests of a clone and pushes it, so that concurrent writers cannot make
/// it lose an edit: every attempt starts from the remote head and re-runs the edit there, and a rejected
/// push is never forced; it is retried from a fresh fetch a bounded number of times.
/// </summary>
public sealed partial class TagWriteBack(ProcessRunner runner, Action<string> log)
{
    public async Task<WriteBackResult> RunAsync(WriteBackRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Validate(request);
        var environment = await GitCredentials.EnvironmentAsync(runner, request.WorkingDirectory, request.Remote, request.Token, cancellationToken, request.TokenUser);
        var git = new GitCommand(runner, request.WorkingDirectory, environment, request.CommandTimeout, log);
        if (request.DryRun)
            return await DryRunAsync(git, request, cancellationToken);

        var rejected = 0;
        var retry = new RetryPolicy { MaxAttempts = request.MaxAttempts, BaseDelay = request.RetryDelay }.Build(
            e => e is PushRejectedException,
            attempt =>
            {
                rejected++;
                log($"Push rejected: {request.Branch} moved on {request.Remote}. Fetching and replaying the edit (attempt {attempt.Failed + 1} of {request.MaxAttempts}).");
            });
        try
        {
            var result = await retry.ExecuteAsync(async token => await AttemptAsync(git, request, token), cancellationToken);
            return result with { Retries = rejected };
        }
        catch (PushRejectedException e)
        {
            throw new WriteBackException(
                $"Pushing to {request.Branch} on {request.Remote} was rejected {request.MaxAttempts} times because the branch kept moving; " +
                $"nothing was forced. Run the deploy again. Last answer from git:\n{e.Message}", e);
        }
    }

    private static void Validate(WriteBackRequest request)
    {
        if (request.MaxAttempts is < 1 or > 20)
            throw new ArgumentException($"MaxAttempts must be between 1 and 20, not {request.MaxAttempts}.", nameof(request));
        // These reach git as arguments; a leading '-' would be read as an option.
        foreach (var (name, value) in new[] { ("branch", request.Branch), ("remote", request.Remote), ("manifest folder", request.ManifestFolder) })
        {
            if (string.IsNullOrWhiteSpace(value) || value.StartsWith('-') || value.Any(char.IsWhiteSpace))
                throw new ArgumentException($"'{value}' is not a usable {name}.", nameof(request));
        }
        if (request.ImageCommit is { } commit && !CommitPattern().IsMatch(commit))
            throw new ArgumentException($"ImageCommit '{commit}' is not a commit hash (7 to 40 lowercase hex digits).", nameof(request));
        request.Image.Validate();
    }

    private async Task<WriteBackResult> AttemptAsync(GitCommand git, WriteBackRequest request, CancellationToken cancellationToken)
    {
        var fetch = await git.NetworkAsync(cancellationToken, "fetch", "--no-tags", request.Remote, "refs/heads/" + request.Branch);
        if (fetch.ExitCode != 0)
            throw new WriteBackException(runner.Masker.Redact(GitRefusal.Describe(fetch.StandardError, $"the fetch of {request.Branch} from {request.Remote}", write: false)
                ?? $"Could not fetch {request.Branch} from {request.Remote} (git exited {fetch.ExitCode}: {PeerText.OneLine(fetch.StandardError, 400)}); check the remote's URL (git remote -v) and that the branch exists."));
        var head = await git.RunAsync(cancellationToken, "rev-parse", "FETCH_HEAD^{commit}");
        // Every attempt edits, commits and pushes in a temporary worktree checked out (detached) at the remote head, so the
        // user's checkout, current branch, working tree and unpushed commits are never touched; a commit of an earlier
        // rejected attempt is simply dropped with its worktree and the edit is redone on the new head.
        var worktree = Path.Combine(Path.GetTempPath(), "cloudage-bumptag-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            // Inside the try: an add that is cancelled or times out half-way has already made the folder and registered it.
            await git.RunAsync(cancellationToken, "worktree", "add", "--quiet", "--detach", worktree, head);
            var tree = git.In(worktree);
            return await EditCommitPushAsync(git, tree, worktree, request, cancellationToken) with { RemoteHead = head };
        }
        finally
        {
            await RemoveWorktreeAsync(git, worktree);
        }
    }

    private async Task<WriteBackResult> EditCommitPushAsync(GitCommand git, GitCommand tree, string worktree, WriteBackRequest request, CancellationToken cancellationToken)
    {
        var edits = ImageEditor.EditAll(ManifestFiles.Read(worktree, request.ManifestFolder), request.Image);
        var changes = edits.SelectMany(e => e.Changes).ToList();
        if (changes.Count == 0)
        {
            log($"{request.Image.Reference} is already deployed on {request.Branch}; nothing to commit.");
            return new WriteBackResult(WriteBackOutcome.AlreadyDeployed, [], null, 0, [], "");
        }
        await RollbackGuard.CheckAsync(git, request, changes, log, cancellationToken);

        // The files written: a manifest that is a symbolic link stays one, and the file it leads to is what changes.
        var files = ManifestFiles.Write(worktree, edits);
        await tree.RunAsync(cancellationToken, ["add", "--", .. files]);
        await tree.RunAsync(cancellationToken, [
            "-c", "user.name=" + request.Identity.Name, "-c", "user.email=" + request.Identity.Email,
            "commit", "--quiet", "-m", Subject(request.Image), "-m", Body(request.Image, files), "--", .. files]);
        var commit = await tree.RunAsync(cancellationToken, "rev-parse", "HEAD");

        var push = await tree.NetworkAsync(cancellationToken, "push", "--porcelain", request.Remote, $"HEAD:refs/heads/{request.Branch}");
        if (push.ExitCode != 0)
        {
            var answer = (push.StandardError + "\n" + push.StandardOutput).Trim();
            var what = $"the push of {commit[..12]} to {request.Branch} on {request.Remote}";
            // A refusal (a protected branch, a read-only token) gives the same answer every time: said, never replayed. Only
            // a lost race (the branch moved) is worth a replay on the new head.
            var refusal = GitRefusal.Describe(answer, what, write: true) ?? (Rejected().IsMatch(answer) ? null : GitRefusal.DescribeRejected(answer, what));
            if (refusal is not null)
                throw new WriteBackException(runner.Masker.Redact(refusal));
            if (Rejected().IsMatch(answer))
                throw new PushRejectedException(answer);
            throw new WriteBackException(runner.Masker.Redact($"Pushing {commit[..12]} to {request.Branch} on {request.Remote} failed (git exited {push.ExitCode}: " +
                $"{PeerText.OneLine(answer, 600)}); check the remote's URL and that GIT_TOKEN may push to {request.Branch}."));
        }
        log($"Pushed {commit} to {request.Branch}: {request.Image.Reference} in {string.Join(", ", files)}.");
        await FastForwardLocalBranchAsync(git, request, commit, cancellationToken);
        return new WriteBackResult(WriteBackOutcome.Pushed, files, commit, 0, changes, ManifestDiff.Format(edits));
    }

    /// <summary>Moves the local branch to the pushed commit only when nothing can be lost: it is not checked out (so no
    /// working tree changes under the user's feet) and the pushed commit contains it (a fast-forward, so no unpushed
    /// commit is dropped). Otherwise the user's branch stays as it was and `git pull` brings the bump.</summary>
    private static async Task FastForwardLocalBranchAsync(GitCommand git, WriteBackRequest request, string commit, CancellationToken cancellationToken)
    {
        var local = await git.TryAsync(cancellationToken, "rev-parse", "--verify", "--quiet", "refs/heads/" + request.Branch);
        var current = await git.TryAsync(cancellationToken, "symbolic-ref", "--quiet", "HEAD");
        if (local.ExitCode != 0 || current.StandardOutput.Trim() == "refs/heads/" + request.Branch)
            return;
        if ((await git.TryAsync(cancellationToken, "merge-base", "--is-ancestor", local.StandardOutput.Trim(), commit)).ExitCode == 0)
            await git.TryAsync(cancellationToken, "update-ref", "refs/heads/" + request.Branch, commit, local.StandardOutput.Trim());
    }

    private static async Task RemoveWorktreeAsync(GitCommand git, string worktree)
    {
        // Not cancellable: the temporary worktree must not outlive the run even when it was cancelled. Twice --force: an add
        // stopped before it finished leaves the worktree locked ("initializing"), which one --force and prune both skip.
        await git.TryAsync(CancellationToken.None, "worktree", "remove", "--force", "--force", worktree);
        if (Directory.Exists(worktree))
            Directory.Delete(worktree, recursive: true);
        await git.TryAsync(CancellationToken.None, "worktree", "prune");
    }

    /// <summary>The change BumpTag would commit: computed, like the real run, on the remote branch's head (in a temporary
    /// worktree that is removed again); only when the remote cannot be fetched, on the working tree, with a warning.
    /// No file of the checkout, no branch and nothing on the remote changes.</summary>
    private async Task<WriteBackResult> DryRunAsync(GitCommand git, WriteBackRequest request, CancellationToken cancellationToken)
    {
        string? head = null;
        try
        {
            var fetch = await git.NetworkAsync(cancellationToken, "fetch", "--no-tags", request.Remote, "refs/heads/" + request.Branch);
            if (fetch.ExitCode == 0)
                head = await git.RunAsync(cancellationToken, "rev-parse", "FETCH_HEAD^{commit}");
            else
                log(runner.Masker.Redact($"warning: {GitRefusal.Describe(fetch.StandardError, $"the fetch of {request.Branch} from {request.Remote}", write: false) ?? $"could not fetch {request.Branch} from {request.Remote} ({PeerText.OneLine(fetch.StandardError, 400)})"} " +
                    "The dry run compares with the working tree instead."));
        }
        catch (WriteBackException e)
        {
            log($"warning: {e.Message}; the dry run compares with the working tree instead.");
        }
        if (head is null)
            return await DryRunInAsync(git, request.WorkingDirectory, request, cancellationToken);
        var worktree = Path.Combine(Path.GetTempPath(), "cloudage-bumptag-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            await git.RunAsync(cancellationToken, "worktree", "add", "--quiet", "--detach", worktree, head);
            return await DryRunInAsync(git, worktree, request, cancellationToken) with { RemoteHead = head };
        }
        finally
        {
            await RemoveWorktreeAsync(git, worktree);
        }
    }

    private async Task<WriteBackResult> DryRunInAsync(GitCommand git, string directory, WriteBackRequest request, CancellationToken cancellationToken)
    {
        var edits = ImageEditor.EditAll(ManifestFiles.Read(directory, request.ManifestFolder), request.Image);
        var changes = edits.SelectMany(e => e.Changes).ToList();
        await RollbackGuard.CheckAsync(git, request, changes, log, cancellationToken);
        var diff = ManifestDiff.Format(edits);
        log(changes.Count == 0 ? $"Dry run: {request.Image.Reference} is already deployed; nothing would be committed." : $"Dry run: would commit \"{Subject(request.Image)}\":\n{diff}");
        return new WriteBackResult(WriteBackOutcome.DryRun, edits.Where(e => e.Changed).Select(e => e.File).ToList(), null, 0, changes, diff);
    }

    private static string Subject(ImageTarget image) => $"Deploy {image.Repository}:{image.Tag} [skip ci]";

    private static string Body(ImageTarget image, IEnumerable<string> files) =>
        $"Sets the image to {image.Reference} in:\n" + string.Concat(files.Select(f => $"- {f}\n"));


    [GeneratedRegex("^[0-9a-f]{7,40}$")]
    private static partial Regex CommitPattern();

    [GeneratedRegex(@"\[rejected\]|non-fast-forward|fetch first|cannot lock ref|failed to update ref|incorrect old value|stale info", RegexOptions.IgnoreCase)]
    private static partial Regex Rejected();

    private sealed class PushRejectedException(string message) : Exception(message);
}
