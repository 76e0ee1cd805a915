using CloudAge.Common.Processes;
using CloudAge.Common.Secrets;
using CloudAge.Tools.GitOps.Git;
using CloudAge.Tools.GitOps.ImageBump;
using CloudAge.Tools.GitOps.Tests.Fixtures;
using static CloudAge.Tools.GitOps.Tests.Fixtures.GitManifestCorpus;

namespace CloudAge.Tools.GitOps.Tests.Bump;

/// <summary>The write-back against real git: bare remotes and clones in temp folders.</summary>
public sealed class WriteBackTests
{
    private const string DeploymentPath = "k8s/deployment.yaml";

    private readonly GitLog _log = new();

    private static string Deployment(string tag, string replicas = "2") => $"""
        # CloudAge
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: cloudage
        spec:
          replicas: {replicas} # scaled by hand
          template:
            spec:
              containers:
              - name: cloudage
                image: {Repository}:{tag}

        """;

    private static Dictionary<string, string> Files(params (string Path, string Text)[] files) => files.ToDictionary(f => f.Path, f => f.Text);

    private TagWriteBack WriteBack() => new(new ProcessRunner(new SecretMasker(), _log.Write), _log.Write);

    private static WriteBackRequest Request(GitSandbox sandbox, string tag) =>
        new(sandbox.Clone, GitSandbox.Branch, new ImageTarget(Repository, tag)) { RetryDelay = TimeSpan.FromMilliseconds(20) };

    [Fact]
    public async Task Pushes_one_commit_naming_image_and_tag_with_skip_ci_under_the_bot_identity()
    {
        await using var sandbox = await GitSandbox.CreateAsync(Files((DeploymentPath, Deployment("sha-0000000")), ("k8s/service.yaml", "kind: Service\n")));
        var before = await sandbox.RemoteHeadAsync();

        var result = await WriteBack().RunAsync(Request(sandbox, "sha-abc1234") with { Identity = new GitIdentity("deploy-bot", "deploy-bot@example.com") });

        Assert.Equal(WriteBackOutcome.Pushed, result.Outcome);
        Assert.Equal(await sandbox.RemoteHeadAsync(), result.CommitSha);
        Assert.Equal([DeploymentPath], result.ChangedFiles);
        Assert.Equal(0, result.Retries);
        Assert.Equal(Deployment("sha-abc1234"), await sandbox.RemoteFileAsync(DeploymentPath));
        Assert.Equal(before, await sandbox.GitAsync(sandbox.Remote, "rev-parse", GitSandbox.Branch + "~1"));
        Assert.Equal($"deploy-bot <deploy-bot@example.com>|Deploy {Repository}:sha-abc1234 [skip ci]",
            await sandbox.GitAsync(sandbox.Remote, "log", "-1", "--format=%an <%ae>|%s", GitSandbox.Branch));
    }

    [Fact]
    public async Task Already_deployed_tag_makes_no_commit_and_leaves_the_remote_alone()
    {
        await using var sandbox = await GitSandbox.CreateAsync(Files((DeploymentPath, Deployment("sha-abc1234"))));
        var before = await sandbox.RemoteHeadAsync();

        var result = await WriteBack().RunAsync(Request(sandbox, "sha-abc1234"));

        Assert.Equal(WriteBackOutcome.AlreadyDeployed, result.Outcome);
        Assert.Null(result.CommitSha);
        Assert.Empty(result.ChangedFiles);
        Assert.Equal(before, await sandbox.RemoteHeadAsync());
        Assert.Equal(before, await sandbox.GitAsync(sandbox.Clone, "rev-parse", "HEAD"));
    }

    [Theory]
    [InlineData("post-commit")]
    [InlineData("pre-push")]
    public async Task Rejected_push_is_replayed_on_the_new_head_keeping_the_other_writers_edit(string raceHook)
    {
        await using var sandbox = await GitSandbox.CreateAsync(Files((DeploymentPath, Deployment("sha-0000000"))));
        // Another writer changes another line of the same file; its push lands between our fetch and our push.
        var other = await sandbox.CloneAsync("other");
        GitSandbox.WriteFile(other, DeploymentPath, Deployment("sha-0000000", replicas: "3"));
        await sandbox.CommitAsync(other, "Scale to 3");
        var otherCommit = await sandbox.GitAsync(other, "rev-parse", "HEAD");
        sandbox.InstallHook(raceHook, $"[ -f '{sandbox.Root}/raced' ] || {{ touch '{sandbox.Root}/raced'; git -C '{other}' push -q origin HEAD:main; }}");

        var result = await WriteBack().RunAsync(Request(sandbox, "sha-abc1234"));

        Assert.Equal(WriteBackOutcome.Pushed, result.Outcome);
        Assert.Equal(1, result.Retries);
        Assert.Equal(Deployment("sha-abc1234", replicas: "3"), await sandbox.RemoteFileAsync(DeploymentPath));
        Assert.Equal(result.CommitSha, await sandbox.RemoteHeadAsync());
        Assert.Equal($"{result.CommitSha} {otherCommit}", await sandbox.GitAsync(sandbox.Remote, "rev-list", "--parents", "-n", "1", GitSandbox.Branch));
        Assert.Equal("", await sandbox.GitAsync(sandbox.Remote, "rev-list", "--merges", GitSandbox.Branch));
        Assert.Contains("Fetching and replaying the edit", _log.Text);
    }

    [Fact]
    public async Task Push_that_keeps_being_rejected_fails_after_the_last_attempt_without_forcing()
    {
        await using var sandbox = await GitSandbox.CreateAsync(Files((DeploymentPath, Deployment("sha-0000000"))));
        var other = await sandbox.CloneAsync("other");
        sandbox.InstallHook("pre-push",
            $"git -C '{other}' -c user.name=Other -c user.email=o@example.com commit -q --allow-empty -m race && git -C '{other}' push -q origin HEAD:main");

        var error = await Assert.ThrowsAsync<WriteBackException>(() => WriteBack().RunAsync(Request(sandbox, "sha-abc1234") with { MaxAttempts = 3 }));

        Assert.Contains("rejected 3 times", error.Message);
        Assert.Equal(await sandbox.GitAsync(other, "rev-parse", "HEAD"), await sandbox.RemoteHeadAsync());
        Assert.Equal(Deployment("sha-0000000"), await sandbox.RemoteFileAsync(DeploymentPath));
        Assert.DoesNotContain("--force", _log.Text);
    }

    [Fact]
    public async Task Dry_run_prints_the_diff_and_changes_no_file_ref_or_remote()
    {
        await using var sandbox = await GitSandbox.CreateAsync(Files((DeploymentPath, Deployment("sha-0000000"))));
        var remoteBefore = await sandbox.RemoteHeadAsync();
        var localBefore = await sandbox.GitAsync(sandbox.Clone, "rev-parse", "HEAD");

        var result = await WriteBack().RunAsync(Request(sandbox, "sha-abc1234") with { DryRun = true });

        Assert.Equal(WriteBackOutcome.DryRun, result.Outcome);
        Assert.Contains($"-        image: {Repository}:sha-0000000\n+        image: {Repository}:sha-abc1234", _log.Text);
        Assert.Equal(result.Diff.TrimEnd('\n'), _log.Text[(_log.Text.IndexOf("--- a/", StringComparison.Ordinal))..].TrimEnd('\n'));
        Assert.Equal(Deployment("sha-0000000"), await File.ReadAllTextAsync(Path.Combine(sandbox.Clone, DeploymentPath)));
        Assert.Equal(localBefore, await sandbox.GitAsync(sandbox.Clone, "rev-parse", "HEAD"));
        Assert.Equal(remoteBefore, await sandbox.RemoteHeadAsync());
        Assert.Equal("", await sandbox.GitAsync(sandbox.Clone, "status", "--porcelain"));
    }

    [Fact]
    public async Task Uncommitted_manifest_changes_in_the_clone_stop_the_write_back()
    {
        await using var sandbox = await GitSandbox.CreateAsync(Files((DeploymentPath, Deployment("sha-0000000"))));
        GitSandbox.WriteFile(sandbox.Clone, DeploymentPath, Deployment("sha-0000000", replicas: "5"));

        var error = await Assert.ThrowsAsync<WriteBackException>(() => WriteBack().RunAsync(Request(sandbox, "sha-abc1234")));

        Assert.Contains("uncommitted changes", error.Message);
        Assert.Equal(Deployment("sha-0000000", replicas: "5"), await File.ReadAllTextAsync(Path.Combine(sandbox.Clone, DeploymentPath)));
    }

    [Theory]
    [InlineData("--upload-pack=touch /tmp/x", null)]
    [InlineData("main", "--exec=x")]
    public async Task Branch_or_image_commit_that_git_would_read_as_an_option_is_refused(string branch, string? imageCommit)
    {
        var request = new WriteBackRequest("/nonexistent", branch, new ImageTarget(Repository, "sha-abc1234")) { ImageCommit = imageCommit };

        await Assert.ThrowsAsync<ArgumentException>(() => WriteBack().RunAsync(request));

        Assert.DoesNotContain("> git", _log.Text);
    }
}
