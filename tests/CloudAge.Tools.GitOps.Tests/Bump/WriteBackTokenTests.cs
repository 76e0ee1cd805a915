using System.Text;
using CloudAge.Common.Processes;
using CloudAge.Common.Secrets;
using CloudAge.Tools.GitOps.Git;
using CloudAge.Tools.GitOps.ImageBump;
using CloudAge.Tools.GitOps.Tests.Fixtures;
using static CloudAge.Tools.GitOps.Tests.Fixtures.GitManifestCorpus;

namespace CloudAge.Tools.GitOps.Tests.Bump;

/// <summary>The git token reaches the server as a header and nowhere else: not the URL, the log or an error.</summary>
public sealed class WriteBackTokenTests
{
    private const string Token = "ghs_TestTokenThatMustNeverBePrinted0123456789";
    private static readonly string Basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("x-access-token:" + Token));

    private readonly GitLog _log = new();

    private static string Deployment(string tag) =>
        $"kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: cloudage\n        image: {Repository}:{tag}\n";

    private TagWriteBack WriteBack() => new(new ProcessRunner(new SecretMasker(), _log.Write), _log.Write);

    [Fact]
    public async Task Token_is_sent_as_an_authorization_header_and_never_printed()
    {
        await using var sandbox = await GitSandbox.CreateAsync(new Dictionary<string, string> { ["k8s/deployment.yaml"] = Deployment("sha-0000000") });
        using var server = new GitHttpCapture();
        await sandbox.GitAsync(sandbox.Clone, "remote", "add", "https-host", server.Url);
        var request = new WriteBackRequest(sandbox.Clone, GitSandbox.Branch, new ImageTarget(Repository, "1.4.2"))
        {
            Remote = "https-host",
            Token = Token,
        };

        var error = await Assert.ThrowsAsync<WriteBackException>(() => WriteBack().RunAsync(request));

        Assert.Contains(server.Requests, r => r.Contains("Authorization: Basic " + Basic, StringComparison.Ordinal));
        Assert.All(server.Requests, r => Assert.DoesNotContain(Token, r.Split("\r\n")[0]));
        Assert.Contains("403", error.Message);
        // What to do, on one line: the token or the remote is wrong.
        Assert.EndsWith("elsewhere use a GIT_TOKEN that may read it.", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        AssertNoSecret(error.ToString());
        AssertNoSecret(_log.Text);
    }

    [Fact]
    public async Task The_token_wins_over_the_one_actions_checkout_persisted_for_the_host()
    {
        // actions/checkout (persist-credentials: true, its default) writes its own token as a URL-scoped extraheader
        // (src/git-auth-helper.ts: http.<server url>/.extraheader), which git takes over a plain http.extraHeader.
        await using var sandbox = await GitSandbox.CreateAsync(new Dictionary<string, string> { ["k8s/deployment.yaml"] = Deployment("sha-0000000") });
        using var server = new GitHttpCapture();
        await sandbox.GitAsync(sandbox.Clone, "remote", "add", "https-host", server.Url);
        var host = server.Url[..(server.Url.IndexOf('/', "http://".Length) + 1)];
        const string Checkout = "AUTHORIZATION: basic Y2hlY2tvdXQtdG9rZW4=";
        await sandbox.GitAsync(sandbox.Clone, "config", "--local", $"http.{host}.extraheader", Checkout);
        var request = new WriteBackRequest(sandbox.Clone, GitSandbox.Branch, new ImageTarget(Repository, "1.4.2")) { Remote = "https-host", Token = Token };

        await Assert.ThrowsAsync<WriteBackException>(() => WriteBack().RunAsync(request));

        Assert.NotEmpty(server.Requests);
        Assert.All(server.Requests, r => Assert.Contains("Authorization: Basic " + Basic, r, StringComparison.Ordinal));
        Assert.All(server.Requests, r => Assert.DoesNotContain("Y2hlY2tvdXQtdG9rZW4=", r, StringComparison.Ordinal));
        AssertNoSecret(_log.Text);
    }

    [Theory]
    [InlineData("http://git.example.invalid/cloudage.git", null)]
    [InlineData("https://git.example.invalid/cloudage.git", "http://git.example.invalid/cloudage.git")]
    public async Task A_plain_http_remote_other_than_loopback_is_refused_before_the_token_travels(string url, string? pushUrl)
    {
        await using var sandbox = await GitSandbox.CreateAsync(new Dictionary<string, string> { ["k8s/deployment.yaml"] = Deployment("sha-0000000") });
        await sandbox.GitAsync(sandbox.Clone, "remote", "add", "plain", url);
        if (pushUrl is not null)
            await sandbox.GitAsync(sandbox.Clone, "remote", "set-url", "--push", "plain", pushUrl);
        var request = new WriteBackRequest(sandbox.Clone, GitSandbox.Branch, new ImageTarget(Repository, "1.4.2")) { Remote = "plain", Token = Token };

        var error = await Assert.ThrowsAsync<WriteBackException>(() => WriteBack().RunAsync(request));

        Assert.Equal("The remote 'plain' is reached over plain http (http://git.example.invalid), which would send GIT_TOKEN unencrypted; " +
            "give the remote its https:// URL (git remote set-url), or leave GIT_TOKEN unset and let git's own credentials answer.", error.Message);
        Assert.DoesNotContain("> git fetch", _log.Text, StringComparison.Ordinal);
        AssertNoSecret(_log.Text);
    }

    [Fact]
    public async Task A_refused_token_never_reaches_the_users_credential_helpers()
    {
        // On a 401 git asks the credential helpers for a login and, when that fails too, tells them to erase it (http.c:
        // credential_fill, credential_reject): a wrong GIT_TOKEN must not delete the login a laptop keeps for the host.
        await using var sandbox = await GitSandbox.CreateAsync(new Dictionary<string, string> { ["k8s/deployment.yaml"] = Deployment("sha-0000000") });
        using var server = new GitHttpCapture(answer: GitHttpCapture.GitHubUnauthorized());
        await sandbox.GitAsync(sandbox.Clone, "remote", "add", "https-host", server.Url);
        var calls = Path.Combine(sandbox.Root, "helper.calls");
        await sandbox.GitAsync(sandbox.Clone, "config", "--local", "credential.helper",
            $"!f() {{ echo \"$1\" >> '{calls}'; [ \"$1\" = get ] && printf 'username=saved\\npassword=saved-login\\n'; }}; f");
        var request = new WriteBackRequest(sandbox.Clone, GitSandbox.Branch, new ImageTarget(Repository, "1.4.2")) { Remote = "https-host", Token = Token };

        await Assert.ThrowsAsync<WriteBackException>(() => WriteBack().RunAsync(request));

        Assert.NotEmpty(server.Requests);
        Assert.False(File.Exists(calls), "git asked the user's credential helper: " + (File.Exists(calls) ? File.ReadAllText(calls) : ""));
    }

    [Fact]
    public async Task A_remote_that_redirects_to_another_host_never_passes_the_token_on()
    {
        await using var sandbox = await GitSandbox.CreateAsync(new Dictionary<string, string> { ["k8s/deployment.yaml"] = Deployment("sha-0000000") });
        using var elsewhere = new GitHttpCapture();
        // "localhost" and "127.0.0.1" are different hosts to git, as two machines would be.
        using var remote = new GitHttpCapture(redirectTo: elsewhere.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal));
        await sandbox.GitAsync(sandbox.Clone, "remote", "add", "redirecting", remote.Url);
        var request = new WriteBackRequest(sandbox.Clone, GitSandbox.Branch, new ImageTarget(Repository, "sha-abc1234")) { Remote = "redirecting", Token = Token };

        var error = await Assert.ThrowsAsync<WriteBackException>(() => WriteBack().RunAsync(request));

        Assert.NotEmpty(remote.Requests);
        Assert.All(elsewhere.Requests, r => Assert.DoesNotContain(Basic, r, StringComparison.Ordinal));
        Assert.Contains("redirect", error.Message, StringComparison.OrdinalIgnoreCase);
        AssertNoSecret(error.ToString());
        AssertNoSecret(_log.Text);
    }

    [Fact]
    public async Task Successful_push_with_a_token_prints_no_token()
    {
        await using var sandbox = await GitSandbox.CreateAsync(new Dictionary<string, string> { ["k8s/deployment.yaml"] = Deployment("sha-0000000") });
        var request = new WriteBackRequest(sandbox.Clone, GitSandbox.Branch, new ImageTarget(Repository, "1.4.2")) { Token = Token };

        var result = await WriteBack().RunAsync(request);

        Assert.Equal(WriteBackOutcome.Pushed, result.Outcome);
        Assert.NotEmpty(_log.Text);
        AssertNoSecret(_log.Text);
        AssertNoSecret(result.ToString());
        AssertNoSecret(await sandbox.GitAsync(sandbox.Clone, "config", "--list"));
    }

    private static void AssertNoSecret(string text)
    {
        Assert.DoesNotContain(Token, text);
        Assert.DoesNotContain(Basic, text);
    }
}
