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

        var result = await WriteBack().RunAsync(Request(sandbox, "1.4.2") with { Identity = new GitIdentity("deploy-bot", "deploy-bot@example.com") });

        Assert.Equal(WriteBackOutcome.Pushed, result.Outcome);
        Assert.Equal(await sandbox.RemoteHeadAsync(), result.CommitSha);
        Assert.Equal([DeploymentPath], result.ChangedFiles);
        Assert.Equal(0, result.Retries);
        Assert.Equal(Deployment("1.4.2"), await sandbox.RemoteFileAsync(DeploymentPath));
        Assert.Equal(before, await sandbox.GitAsync(sandbox.Remote, "rev-parse", GitSandbox.Branch + "~1"));
        Assert.Equal($"deploy-bot <deploy-bot@example.com>|Deploy {Repository}:1.4.2 [skip ci]",
            await sandbox.GitAsync(sandbox.Remote, "log", "-1", "--format=%an <%ae>|%s", GitSandbox.Branch));
    }

    [Fact]
    public async Task A_manifest_that_is_a_symbolic_link_stays_one_and_the_file_it_leads_to_is_edited_keeping_its_mode()
    {
        if (OperatingSystem.IsWindows())
            return; // git keeps symbolic links and modes as on Unix only
        await using var sandbox = await GitSandbox.CreateAsync(Files(("base/deployment.yaml", Deployment("sha-0000000")), ("k8s/service.yaml", "kind: Service\n")));
        var writer = await sandbox.CloneAsync("linker");
        File.CreateSymbolicLink(Path.Combine(writer, DeploymentPath), "../base/deployment.yaml");
        File.SetUnixFileMode(Path.Combine(writer, "base/deployment.yaml"), (UnixFileMode)0b111_101_101);
        await sandbox.CommitAsync(writer, "link the deployment");
        await sandbox.GitAsync(writer, "push", "--quiet", "origin", "HEAD:refs/heads/" + GitSandbox.Branch);

        var result = await WriteBack().RunAsync(Request(sandbox, "1.4.2"));

        Assert.Equal(WriteBackOutcome.Pushed, result.Outcome);
        Assert.Equal(["base/deployment.yaml"], result.ChangedFiles);
        Assert.Equal(Deployment("1.4.2"), await sandbox.RemoteFileAsync("base/deployment.yaml"));
        // ls-tree: the link is still a link (120000) to the same path, the file keeps its executable mode (100755).
        var tree = await sandbox.GitAsync(sandbox.Remote, "ls-tree", "-r", GitSandbox.Branch);
        Assert.Contains(tree.Split('\n'), l => l.StartsWith("120000 blob ", StringComparison.Ordinal) && l.EndsWith("\t" + DeploymentPath, StringComparison.Ordinal));
        Assert.Contains(tree.Split('\n'), l => l.StartsWith("100755 blob ", StringComparison.Ordinal) && l.EndsWith("\tbase/deployment.yaml", StringComparison.Ordinal));
        Assert.Equal("../base/deployment.yaml", await sandbox.GitAsync(sandbox.Remote, "cat-file", "-p", $"{GitSandbox.Branch}:{DeploymentPath}"));
    }

    [Fact]
    public async Task A_manifest_linked_outside_the_repository_is_refused_before_anything_is_written()
    {
        if (OperatingSystem.IsWindows())
            return;
        using var outside = new CloudAge.Testing.TempDirectory();
        var target = outside.Write("deployment.yaml", Deployment("sha-0000000"));
        await using var sandbox = await GitSandbox.CreateAsync(Files(("k8s/service.yaml", "kind: Service\n")));
        var writer = await sandbox.CloneAsync("linker");
        File.CreateSymbolicLink(Path.Combine(writer, DeploymentPath), target);
        await sandbox.CommitAsync(writer, "link outside");
        await sandbox.GitAsync(writer, "push", "--quiet", "origin", "HEAD:refs/heads/" + GitSandbox.Branch);
        var before = await sandbox.RemoteHeadAsync();

        var failure = await Assert.ThrowsAsync<ManifestEditException>(() => WriteBack().RunAsync(Request(sandbox, "1.4.2")));

        Assert.Contains($"{DeploymentPath} is a symbolic link to {target}, outside the repository", failure.Message);
        Assert.Equal(Deployment("sha-0000000"), File.ReadAllText(target));
        Assert.Equal(before, await sandbox.RemoteHeadAsync());
    }

    [Fact]
    public async Task Already_deployed_tag_makes_no_commit_and_leaves_the_remote_alone()
    {
        await using var sandbox = await GitSandbox.CreateAsync(Files((DeploymentPath, Deployment("1.4.2"))));
        var before = await sandbox.RemoteHeadAsync();

        var result = await WriteBack().RunAsync(Request(sandbox, "1.4.2"));

        Assert.Equal(WriteBackOutcome.AlreadyDeployed, result.Outcome);
        Assert.Null(result.CommitSha);
        // What ArgoSync then waits for: the remote head that already deploys the image.
        Assert.Equal(before, result.RemoteHead);
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

        var result = await WriteBack().RunAsync(Request(sandbox, "1.4.2"));

        Assert.Equal(WriteBackOutcome.Pushed, result.Outcome);
        Assert.Equal(1, result.Retries);
        Assert.Equal(Deployment("1.4.2", replicas: "3"), await sandbox.RemoteFileAsync(DeploymentPath));
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

        var error = await Assert.ThrowsAsync<WriteBackException>(() => WriteBack().RunAsync(Request(sandbox, "1.4.2") with { MaxAttempts = 3 }));

        Assert.Contains("rejected 3 times", error.Message);
        Assert.Equal(await sandbox.GitAsync(other, "rev-parse", "HEAD"), await sandbox.RemoteHeadAsync());
        Assert.Equal(Deployment("sha-0000000"), await sandbox.RemoteFileAsync(DeploymentPath));
        Assert.DoesNotMatch(@"git push[^\n]*(--force|\s-f\b|\s\+)", _log.Text);
        Assert.Contains("git push --porcelain origin HEAD:refs/heads/main", _log.Text);
    }

    [Fact]
    public async Task A_remote_that_takes_the_connection_and_never_answers_ends_the_write_back_at_the_command_timeout()
    {
        // A silent server where the remote should be (a proxy holding the request): git waits for ever on its own, so the
        // command's timeout is what ends it, once, with a sentence about the remote (not a TimeSpan like 00:00:02).
        await using var sandbox = await GitSandbox.CreateAsync(Files((DeploymentPath, Deployment("sha-0000000"))));
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var url = $"http://127.0.0.1:{((System.Net.IPEndPoint)silent.LocalEndpoint).Port}/cloudage.git";
        await sandbox.GitAsync(sandbox.Clone, "remote", "set-url", "origin", url);

        var started = System.Diagnostics.Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<WriteBackException>(() => WriteBack().RunAsync(Request(sandbox, "1.4.2") with { CommandTimeout = TimeSpan.FromSeconds(2) }));

        Assert.StartsWith("'git fetch", error.Message, StringComparison.Ordinal);
        Assert.Contains("did not finish within 2 s. Check that the remote answers and that credentials do not wait for a prompt.", error.Message, StringComparison.Ordinal);
        Assert.InRange(started.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30)); // one try of 2 s (and git's stop), not four
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(_log.Text, "> git fetch"));
    }

    [Fact]
    public async Task Dry_run_prints_the_diff_and_changes_no_file_ref_or_remote()
    {
        await using var sandbox = await GitSandbox.CreateAsync(Files((DeploymentPath, Deployment("sha-0000000"))));
        var remoteBefore = await sandbox.RemoteHeadAsync();
        var localBefore = await sandbox.GitAsync(sandbox.Clone, "rev-parse", "HEAD");

        var result = await WriteBack().RunAsync(Request(sandbox, "1.4.2") with { DryRun = true });

        Assert.Equal(WriteBackOutcome.DryRun, result.Outcome);
        Assert.Contains($"-        image: {Repository}:sha-0000000\n+        image: {Repository}:1.4.2", _log.Text);
        Assert.Contains(result.Diff.TrimEnd('\n'), _log.Text);
        Assert.Equal(Deployment("sha-0000000"), await File.ReadAllTextAsync(Path.Combine(sandbox.Clone, DeploymentPath)));
        Assert.Equal(localBefore, await sandbox.GitAsync(sandbox.Clone, "rev-parse", "HEAD"));
        Assert.Equal(remoteBefore, await sandbox.RemoteHeadAsync());
        Assert.Equal("", await sandbox.GitAsync(sandbox.Clone, "status", "--porcelain"));
    }

    [Fact]
    public async Task On_a_laptop_the_feature_branch_the_unpushed_commit_and_the_working_tree_stay_exactly_as_they_were()
    {
        await using var sandbox = await GitSandbox.CreateAsync(Files((DeploymentPath, Deployment("sha-0000000"))));
        var clone = sandbox.Clone;
        // An unpushed commit on main, then a feature branch checked out with uncommitted edits (one in k8s/ itself),
        // an untracked file and a staged change.
        GitSandbox.WriteFile(clone, "notes.md", "local work\n");
        await sandbox.CommitAsync(clone, "unpushed work on main");
        var unpushed = await sandbox.GitAsync(clone, "rev-parse", "main");
        await sandbox.GitAsync(clone, "checkout", "--quiet", "-b", "feature");
        GitSandbox.WriteFile(clone, "feature.txt", "feature\n");
        await sandbox.CommitAsync(clone, "feature work");
        var feature = await sandbox.GitAsync(clone, "rev-parse", "HEAD");
        GitSandbox.WriteFile(clone, DeploymentPath, Deployment("sha-0000000", replicas: "5"));
        GitSandbox.WriteFile(clone, "staged.txt", "staged\n");
        await sandbox.GitAsync(clone, "add", "staged.txt");
        GitSandbox.WriteFile(clone, "untracked.txt", "untracked\n");
        var status = await sandbox.GitAsync(clone, "status", "--porcelain");
        // Another developer moved main on the remote meanwhile.
        await sandbox.PushChangeAsync("README.md", "moved\n", "remote work");

        var result = await WriteBack().RunAsync(Request(sandbox, "1.4.2"));

        Assert.Equal(WriteBackOutcome.Pushed, result.Outcome);
        Assert.Equal(Deployment("1.4.2"), await sandbox.RemoteFileAsync(DeploymentPath));
        Assert.Equal("refs/heads/feature", await sandbox.GitAsync(clone, "symbolic-ref", "HEAD"));
        Assert.Equal(feature, await sandbox.GitAsync(clone, "rev-parse", "HEAD"));
        Assert.Equal(unpushed, await sandbox.GitAsync(clone, "rev-parse", "main"));
        Assert.Equal(status, await sandbox.GitAsync(clone, "status", "--porcelain"));
        Assert.Equal(Deployment("sha-0000000", replicas: "5"), await File.ReadAllTextAsync(Path.Combine(clone, DeploymentPath)));
        // The unpushed commit never reached the remote, and no temporary worktree is left registered.
        Assert.NotEqual("0", await sandbox.GitAsync(clone, "rev-list", "--count", $"{result.CommitSha}..{unpushed}"));
        Assert.Equal(1, (await sandbox.GitAsync(clone, "worktree", "list", "--porcelain")).Split('\n').Count(l => l.StartsWith("worktree ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Dry_run_on_a_feature_branch_shows_the_change_against_the_remote_branch_not_the_checkout()
    {
        await using var sandbox = await GitSandbox.CreateAsync(Files((DeploymentPath, Deployment("sha-0000000"))));
        await sandbox.GitAsync(sandbox.Clone, "checkout", "--quiet", "-b", "feature");
        GitSandbox.WriteFile(sandbox.Clone, DeploymentPath, Deployment("sha-1111111"));
        await sandbox.CommitAsync(sandbox.Clone, "feature deploys something else");

        var result = await WriteBack().RunAsync(Request(sandbox, "1.4.2") with { DryRun = true });

        Assert.Contains($"-        image: {Repository}:sha-0000000\n+        image: {Repository}:1.4.2", result.Diff);
        Assert.Equal(await sandbox.RemoteHeadAsync(), result.RemoteHead);
        Assert.Equal(Deployment("sha-1111111"), await File.ReadAllTextAsync(Path.Combine(sandbox.Clone, DeploymentPath)));
        Assert.Equal("", await sandbox.GitAsync(sandbox.Clone, "status", "--porcelain"));
        Assert.Equal(1, (await sandbox.GitAsync(sandbox.Clone, "worktree", "list", "--porcelain")).Split('\n').Count(l => l.StartsWith("worktree ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_clean_local_branch_that_is_only_behind_is_fast_forwarded_when_not_checked_out()
    {
        await using var sandbox = await GitSandbox.CreateAsync(Files((DeploymentPath, Deployment("sha-0000000"))));
        await sandbox.GitAsync(sandbox.Clone, "checkout", "--quiet", "-b", "feature");

        var result = await WriteBack().RunAsync(Request(sandbox, "1.4.2"));

        Assert.Equal(result.CommitSha, await sandbox.GitAsync(sandbox.Clone, "rev-parse", "main"));
        Assert.Equal("refs/heads/feature", await sandbox.GitAsync(sandbox.Clone, "symbolic-ref", "HEAD"));
    }

    [Theory]
    [InlineData("--upload-pack=touch /tmp/x", null)]
    [InlineData("main", "--exec=x")]
    public async Task Branch_or_image_commit_that_git_would_read_as_an_option_is_refused(string branch, string? imageCommit)
    {
        var request = new WriteBackRequest("/nonexistent", branch, new ImageTarget(Repository, "1.4.2")) { ImageCommit = imageCommit };

        await Assert.ThrowsAsync<ArgumentException>(() => WriteBack().RunAsync(request));

        Assert.DoesNotContain("> git", _log.Text);
    }
}
