using System.Text.RegularExpressions;
using CloudAge.Common.Processes;
using CloudAge.Common.Secrets;
using CloudAge.Tools.GitOps.Git;
using CloudAge.Tools.GitOps.ImageBump;
using CloudAge.Tools.GitOps.Tests.Fixtures;
using static CloudAge.Tools.GitOps.Tests.Fixtures.GitManifestCorpus;

namespace CloudAge.Tools.GitOps.Tests.Bump;

/// <summary>The write-back cancelled (Ctrl+C, SIGTERM, a timeout) while a git command of it runs, against real git.</summary>
public sealed partial class WriteBackCancellationTests
{
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: cloudage
        spec:
          template:
            spec:
              containers:
              - name: cloudage
                image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/cloudage:sha-0000000

        """;

    private readonly GitLog _log = new();

    private TagWriteBack WriteBack() => new(new ProcessRunner(new SecretMasker(), _log.Write), _log.Write);

    [Fact]
    public async Task Cancelling_while_git_worktree_add_runs_its_post_checkout_hook_leaves_no_worktree_behind()
    {
        await using var sandbox = await GitSandbox.CreateAsync(new Dictionary<string, string> { ["k8s/deployment.yaml"] = Deployment });
        var started = Path.Combine(sandbox.Root, "add.started");
        // git worktree add runs post-checkout once the files are there: the add is still in flight while it waits.
        sandbox.InstallHook("post-checkout", $"touch '{started}'\nexec sleep 60");

        await CancelWhenStartedAsync(sandbox, started);

        await AssertNoWorktreeLeftAsync(sandbox);
    }

    [Fact]
    public async Task Cancelling_while_git_worktree_add_checks_out_the_files_leaves_no_locked_worktree_behind()
    {
        await using var sandbox = await GitSandbox.CreateAsync(new Dictionary<string, string>
        {
            ["k8s/deployment.yaml"] = Deployment,
            [".gitattributes"] = "k8s/deployment.yaml filter=slow\n",
        });
        var started = Path.Combine(sandbox.Root, "add.started");
        // A smudge filter runs while the add checks the files out, when git has locked the new worktree ("initializing").
        await sandbox.GitAsync(sandbox.Clone, "config", "filter.slow.smudge", $"touch '{started}'; sleep 60; cat");
        await sandbox.GitAsync(sandbox.Clone, "config", "filter.slow.clean", "cat");

        await CancelWhenStartedAsync(sandbox, started);

        await AssertNoWorktreeLeftAsync(sandbox);
    }

    private async Task CancelWhenStartedAsync(GitSandbox sandbox, string started)
    {
        using var cancellation = new CancellationTokenSource();
        var run = WriteBack().RunAsync(new WriteBackRequest(sandbox.Clone, GitSandbox.Branch, new ImageTarget(Repository, "1.4.2")), cancellation.Token);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(started) && !run.IsCompleted && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        Assert.True(File.Exists(started), "git worktree add never reached the step that waits:\n" + _log.Text);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    private async Task AssertNoWorktreeLeftAsync(GitSandbox sandbox)
    {
        var worktree = WorktreeAdd().Match(_log.Text).Groups[1].Value;
        Assert.NotEmpty(worktree);
        Assert.False(Directory.Exists(worktree), $"{worktree} is still there:\n{_log.Text}");
        var registered = (await sandbox.GitAsync(sandbox.Clone, "worktree", "list", "--porcelain")).Split('\n').Where(l => l.StartsWith("worktree ", StringComparison.Ordinal));
        Assert.Equal(["worktree " + sandbox.Clone], registered);
        var admin = Path.Combine(sandbox.Clone, ".git", "worktrees");
        Assert.True(!Directory.Exists(admin) || !Directory.EnumerateFileSystemEntries(admin).Any(), "git still keeps a worktree entry in .git/worktrees");
    }

    [GeneratedRegex(@"> git worktree add --quiet --detach (\S+) ")]
    private static partial Regex WorktreeAdd();
}
