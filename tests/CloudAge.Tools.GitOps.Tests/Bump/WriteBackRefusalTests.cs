using CloudAge.Common.Processes;
using CloudAge.Common.Secrets;
using CloudAge.Tools.GitOps.Git;
using CloudAge.Tools.GitOps.ImageBump;
using CloudAge.Tools.GitOps.Tests.Fixtures;
using static CloudAge.Tools.GitOps.Tests.Fixtures.GitManifestCorpus;

namespace CloudAge.Tools.GitOps.Tests.Bump;

/// <summary>
/// How GitHub refuses a push, modelled with real git: a bare remote whose pre-receive hook prints GitHub's messages, and
/// an HTTP remote answering as github.com does. Each refusal is one sentence with what to do, and is never replayed.
/// </summary>
public sealed class WriteBackRefusalTests
{
    private const string DeploymentPath = "k8s/deployment.yaml";
    private const string Token = "ghs_RefusalTestTokenThatMustNeverBePrinted01";

    private readonly GitLog _log = new();

    private static string Deployment(string tag) =>
        $"kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: cloudage\n        image: {Repository}:{tag}\n";

    private TagWriteBack WriteBack() => new(new ProcessRunner(new SecretMasker(), _log.Write), _log.Write);

    private static WriteBackRequest Request(GitSandbox sandbox) =>
        new(sandbox.Clone, GitSandbox.Branch, new ImageTarget(Repository, "1.4.2")) { RetryDelay = TimeSpan.FromMilliseconds(20) };

    // The lines GitHub's pre-receive prints, as users have quoted them from github.com:
    // GH006 pull request: docs.github.com "About protected branches"; github.com/SalamLang/Salam/issues/430.
    // GH006 status check: docs.github.com "Troubleshooting required status checks" ("Required status check "ci-build" is failing").
    // GH013 ruleset: docs.github.com "Troubleshooting rules"; github.com/Women-Devs-SG/bibsnbub/issues/35.
    // GH013 signed commits: the ruleset rule "Require signed commits" ("Commits must have verified signatures.").
    [Theory]
    [InlineData("GH006: Protected branch update failed for refs/heads/main.", "error: Changes must be made through a pull request.")]
    [InlineData("GH006: Protected branch update failed for refs/heads/main.", "error: Required status check \"build\" is expected.")]
    [InlineData("GH013: Repository rule violations found for refs/heads/main.", "- Changes must be made through a pull request.")]
    [InlineData("GH013: Repository rule violations found for refs/heads/main.", "- Commits must have verified signatures.")]
    public async Task A_rule_on_the_branch_is_said_once_with_what_to_do_and_never_replayed(string ghLine, string reason)
    {
        await using var sandbox = await GitSandbox.CreateAsync(new Dictionary<string, string> { [DeploymentPath] = Deployment("sha-0000000") });
        var before = await sandbox.RemoteHeadAsync();
        sandbox.InstallRemoteHook("pre-receive", $"echo x >> '{sandbox.Root}/pushes'; echo 'error: {ghLine}' >&2; echo '' >&2; echo '{reason.Replace("'", "'\\''", StringComparison.Ordinal)}' >&2; exit 1");

        var error = await Assert.ThrowsAsync<WriteBackException>(() => WriteBack().RunAsync(Request(sandbox)));

        Assert.StartsWith("GitHub refused the push of ", error.Message, StringComparison.Ordinal);
        Assert.Contains(ghLine, error.Message, StringComparison.Ordinal);
        Assert.Contains(reason.TrimStart('-', ' ').Replace("error: ", "", StringComparison.Ordinal), error.Message, StringComparison.Ordinal);
        Assert.Contains("bypass list", error.Message, StringComparison.Ordinal);
        Assert.Contains("GIT_TOKEN", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Single(File.ReadAllLines(Path.Combine(sandbox.Root, "pushes")));
        Assert.DoesNotContain("replaying", _log.Text, StringComparison.Ordinal);
        Assert.Equal(before, await sandbox.RemoteHeadAsync());
    }

    [Fact]
    public async Task Another_hook_refusal_quotes_the_hook_and_is_not_replayed()
    {
        await using var sandbox = await GitSandbox.CreateAsync(new Dictionary<string, string> { [DeploymentPath] = Deployment("sha-0000000") });
        sandbox.InstallRemoteHook("pre-receive", $"echo x >> '{sandbox.Root}/pushes'; echo 'pushes to main are frozen until Monday' >&2; exit 1");

        var error = await Assert.ThrowsAsync<WriteBackException>(() => WriteBack().RunAsync(Request(sandbox)));

        Assert.Contains("The remote refused the push of ", error.Message, StringComparison.Ordinal);
        Assert.Contains("pre-receive hook declined: pushes to main are frozen until Monday", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Single(File.ReadAllLines(Path.Combine(sandbox.Root, "pushes")));
    }

    [Fact]
    public async Task A_token_that_may_only_read_is_told_to_get_contents_write_and_is_tried_once()
    {
        await using var sandbox = await GitSandbox.CreateAsync(new Dictionary<string, string> { [DeploymentPath] = Deployment("sha-0000000") });
        // Fetches come from the bare remote; the push goes to a github.com stand-in that refuses it as GitHub does.
        using var github = new GitHttpCapture(answer: GitHttpCapture.GitHubForbidden("octo/cloudage"));
        await sandbox.GitAsync(sandbox.Clone, "remote", "set-url", "--push", "origin", github.Url);

        var error = await Assert.ThrowsAsync<WriteBackException>(() => WriteBack().RunAsync(Request(sandbox) with { Token = Token }));

        Assert.Contains("HTTP 403: Permission to octo/cloudage.git denied to github-actions[bot].", error.Message, StringComparison.Ordinal);
        Assert.Contains("'permissions: contents: write'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Single(github.Requests);
        Assert.DoesNotContain(Token, error.Message + _log.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_push_without_credentials_says_to_set_GIT_TOKEN()
    {
        await using var sandbox = await GitSandbox.CreateAsync(new Dictionary<string, string> { [DeploymentPath] = Deployment("sha-0000000") });
        using var github = new GitHttpCapture(answer: GitHttpCapture.GitHubUnauthorized());
        await sandbox.GitAsync(sandbox.Clone, "remote", "set-url", "--push", "origin", github.Url);

        var error = await Assert.ThrowsAsync<WriteBackException>(() => WriteBack().RunAsync(Request(sandbox)));

        Assert.Contains("for lack of valid credentials (could not read Username for 'http://127.0.0.1:", error.Message, StringComparison.Ordinal);
        Assert.Contains("set GIT_TOKEN (on GitHub Actions: GIT_TOKEN: ${{ github.token }})", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task A_private_repository_the_token_may_not_read_is_said_at_the_fetch()
    {
        await using var sandbox = await GitSandbox.CreateAsync(new Dictionary<string, string> { [DeploymentPath] = Deployment("sha-0000000") });
        using var github = new GitHttpCapture(answer: GitHttpCapture.GitHubForbidden("octo/cloudage"));
        await sandbox.GitAsync(sandbox.Clone, "remote", "set-url", "origin", github.Url);

        var error = await Assert.ThrowsAsync<WriteBackException>(() => WriteBack().RunAsync(Request(sandbox) with { Token = Token }));

        Assert.StartsWith("The remote refused the fetch of main from origin with HTTP 403", error.Message, StringComparison.Ordinal);
        Assert.Contains("may not read the repository", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain(Token, error.Message + _log.Text, StringComparison.Ordinal);
    }
}
