using System.Text;
using CloudAge.Common.Processes;
using CloudAge.Common.Secrets;
using CloudAge.Tools.GitOps.Git;
using CloudAge.Tools.GitOps.Tests.Fixtures;

namespace CloudAge.Tools.GitOps.Tests.Bump;

/// <summary>
/// ArgoSync's own git calls (the remote head, the fetch that orders Argo CD's commits) use the write-back's credentials,
/// timeout and prompt guard, so they work where BumpTag works (a checkout without persisted credentials), and say
/// when they cannot.
/// </summary>
public sealed class GitRemoteTests
{
    private const string Token = "ghs_AnotherTokenThatMustNeverBePrinted0123";
    private static readonly string Basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("x-access-token:" + Token));

    private readonly GitLog _log = new();

    private ProcessRunner Runner() => new(new SecretMasker(), _log.Write);

    [Fact]
    public async Task The_remote_head_is_read_from_the_remote_and_a_missing_branch_is_named()
    {
        await using var sandbox = await GitSandbox.CreateAsync(new Dictionary<string, string> { ["k8s/a.yaml"] = "a: 1\n" });
        var moved = await sandbox.PushChangeAsync("k8s/a.yaml", "a: 2\n", "someone else's deploy");

        Assert.Equal(moved, await GitRemote.HeadAsync(Runner(), sandbox.Clone, GitSandbox.Branch, null, TimeSpan.FromMinutes(1), _log.Write, CancellationToken.None));
        var missing = await Assert.ThrowsAsync<WriteBackException>(() =>
            GitRemote.HeadAsync(Runner(), sandbox.Clone, "release", null, TimeSpan.FromMinutes(1), _log.Write, CancellationToken.None));
        Assert.Equal("The remote 'origin' has no branch 'release'; pass --default-branch with the branch Argo CD tracks.", missing.Message);
    }

    [Fact]
    public async Task The_remote_head_is_asked_with_the_token_as_a_header_and_a_refusal_is_one_sentence_without_it()
    {
        await using var sandbox = await GitSandbox.CreateAsync(new Dictionary<string, string> { ["k8s/a.yaml"] = "a: 1\n" });
        using var server = new GitHttpCapture();
        await sandbox.GitAsync(sandbox.Clone, "remote", "add", "https-host", server.Url);

        var failure = await Assert.ThrowsAsync<WriteBackException>(() =>
            GitRemote.HeadAsync(Runner(), sandbox.Clone, GitSandbox.Branch, Token, TimeSpan.FromMinutes(1), _log.Write, CancellationToken.None, remote: "https-host"));

        Assert.Contains(server.Requests, r => r.Contains("Authorization: Basic " + Basic, StringComparison.Ordinal));
        Assert.StartsWith("The remote refused reading branch 'main' of 'https-host' (git ls-remote) with HTTP 403; the token may not read the repository", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure.Message);
        Assert.DoesNotContain(Token, failure.ToString());
        Assert.DoesNotContain(Basic, failure.ToString());
    }

    [Fact]
    public async Task A_commit_the_clone_lacks_is_fetched_with_the_token_once_per_commit_and_a_failed_fetch_is_said()
    {
        await using var sandbox = await GitSandbox.CreateAsync(new Dictionary<string, string> { ["k8s/a.yaml"] = "a: 1\n" });
        using var server = new GitHttpCapture();
        await sandbox.GitAsync(sandbox.Clone, "remote", "add", "https-host", server.Url);
        var ours = await sandbox.GitAsync(sandbox.Clone, "rev-parse", "HEAD");
        var ancestry = new GitAncestry(Runner(), sandbox.Clone, GitSandbox.Branch, _log.Write, remote: "https-host", token: Token, timeout: TimeSpan.FromMinutes(1));
        var unknown = new string('a', 40);

        Assert.False(await ancestry.ContainsAsync(unknown, ours, CancellationToken.None));
        var afterFirst = server.Requests.Count;
        Assert.False(await ancestry.ContainsAsync(unknown, ours, CancellationToken.None));
        Assert.Equal(afterFirst, server.Requests.Count);
        Assert.False(await ancestry.ContainsAsync(new string('b', 40), ours, CancellationToken.None));

        Assert.True(server.Requests.Count > afterFirst, "another unknown commit was not fetched");
        Assert.All(server.Requests, r => Assert.Contains("Authorization: Basic " + Basic, r, StringComparison.Ordinal));
        var warnings = _log.Text.Split('\n').Where(l => l.StartsWith("warning: could not fetch main from https-host", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains("403", warnings[0]);
        Assert.DoesNotContain(Token, _log.Text);
        Assert.DoesNotContain(Basic, _log.Text);
    }

    [Fact]
    public async Task A_commit_that_contains_ours_is_fetched_from_the_remote_and_ordered()
    {
        await using var sandbox = await GitSandbox.CreateAsync(new Dictionary<string, string> { ["k8s/a.yaml"] = "a: 1\n" });
        var ours = await sandbox.GitAsync(sandbox.Clone, "rev-parse", "HEAD");
        var later = await sandbox.PushChangeAsync("k8s/a.yaml", "a: 2\n", "a later commit on the branch");
        var ancestry = new GitAncestry(Runner(), sandbox.Clone, GitSandbox.Branch, _log.Write);

        Assert.True(await ancestry.ContainsAsync(later, ours, CancellationToken.None));
        Assert.False(await ancestry.ContainsAsync(ours, later, CancellationToken.None));
        Assert.DoesNotContain("warning", _log.Text);
    }
}
