using CloudAge.Common.Processes;
using CloudAge.Common.Secrets;
using CloudAge.Tools.GitOps.Git;
using CloudAge.Tools.GitOps.ImageBump;
using CloudAge.Tools.GitOps.Tests.Fixtures;
using static CloudAge.Tools.GitOps.Tests.Fixtures.GitManifestCorpus;

namespace CloudAge.Tools.GitOps.Tests.Bump;

/// <summary>Images know their commit from the sha-&lt;7 hex&gt; tag; the guard compares them in the clone's history.</summary>
public sealed class RollbackGuardTests
{
    private const string DeploymentPath = "k8s/deployment.yaml";

    private readonly GitLog _log = new();

    private static string Deployment(string tag) =>
        $"kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: cloudage\n        image: {Repository}:{tag}\n";

    private TagWriteBack WriteBack() => new(new ProcessRunner(new SecretMasker(), _log.Write), _log.Write);

    /// <summary>Two app commits, then the manifest deploying the newer one.</summary>
    private static async Task<(GitSandbox Sandbox, string Older, string Deployed)> DeployedAsync()
    {
        var sandbox = await GitSandbox.CreateAsync(
            new Dictionary<string, string> { ["app/version.txt"] = "1\n" },
            new Dictionary<string, string> { ["app/version.txt"] = "2\n" });
        var deployed = await sandbox.RemoteHeadAsync();
        var older = await sandbox.GitAsync(sandbox.Remote, "rev-parse", GitSandbox.Branch + "~1");
        await sandbox.PushChangeAsync(DeploymentPath, Deployment("sha-" + deployed[..7]), "Deploy");
        return (sandbox, older, deployed);
    }

    private static WriteBackRequest Request(GitSandbox sandbox, string tag) =>
        new(sandbox.Clone, GitSandbox.Branch, new ImageTarget(Repository, tag)) { RetryDelay = TimeSpan.FromMilliseconds(20) };

    [Fact]
    public async Task Image_built_from_an_ancestor_of_the_deployed_commit_is_refused()
    {
        var (sandbox, older, deployed) = await DeployedAsync();
        await using var _ = sandbox;
        var before = await sandbox.RemoteHeadAsync();

        var error = await Assert.ThrowsAsync<WriteBackException>(() => WriteBack().RunAsync(Request(sandbox, "sha-" + older[..7])));

        Assert.Contains("Refusing to move the deployment backwards", error.Message);
        Assert.Contains(older[..12], error.Message);
        Assert.Contains(deployed[..12], error.Message);
        Assert.Contains("--allow-rollback", error.Message);
        Assert.Equal(before, await sandbox.RemoteHeadAsync());
    }

    [Fact]
    public async Task Image_built_from_an_ancestor_is_deployed_when_rollback_is_allowed()
    {
        var (sandbox, older, _) = await DeployedAsync();
        await using var __ = sandbox;

        var result = await WriteBack().RunAsync(Request(sandbox, "sha-" + older[..7]) with { AllowRollback = true });

        Assert.Equal(WriteBackOutcome.Pushed, result.Outcome);
        Assert.Equal(Deployment("sha-" + older[..7]), await sandbox.RemoteFileAsync(DeploymentPath));
        Assert.Contains("rolling back on request", _log.Text);
    }

    [Fact]
    public async Task Image_commit_from_labels_overrides_the_tag_and_a_newer_commit_passes()
    {
        var (sandbox, _, _) = await DeployedAsync();
        await using var __ = sandbox;
        var newer = await sandbox.RemoteHeadAsync();

        var result = await WriteBack().RunAsync(Request(sandbox, "build-42") with { ImageCommit = newer });

        Assert.Equal(WriteBackOutcome.Pushed, result.Outcome);
        Assert.DoesNotContain("warning", _log.Text);
    }

    [Fact]
    public async Task Placeholder_tag_of_the_deployed_image_proceeds_with_a_warning()
    {
        await using var sandbox = await GitSandbox.CreateAsync(new Dictionary<string, string> { [DeploymentPath] = Deployment("latest") });
        var head = await sandbox.RemoteHeadAsync();

        var result = await WriteBack().RunAsync(Request(sandbox, "sha-" + head[..7]));

        Assert.Equal(WriteBackOutcome.Pushed, result.Outcome);
        Assert.Contains($"warning: cannot tell which commit the deployed {Repository}:latest was built from", _log.Text);
    }

    [Fact]
    public async Task An_image_commit_the_repository_does_not_know_is_refused_unless_rollback_is_allowed()
    {
        var (sandbox, _, _) = await DeployedAsync();
        await using var __ = sandbox;
        var before = await sandbox.RemoteHeadAsync();

        var error = await Assert.ThrowsAsync<WriteBackException>(() => WriteBack().RunAsync(Request(sandbox, "sha-fedcba9")));

        Assert.Contains("cannot be ordered", error.Message);
        Assert.Contains("fedcba9, which is not on main of origin. Push that commit to the branch first, or pass --allow-rollback", error.Message);
        Assert.DoesNotContain("--unshallow", error.Message); // git refuses it on a complete clone
        Assert.Equal(before, await sandbox.RemoteHeadAsync());

        var allowed = await WriteBack().RunAsync(Request(sandbox, "sha-fedcba9") with { AllowRollback = true });
        Assert.Equal(WriteBackOutcome.Pushed, allowed.Outcome);
    }

    [Fact]
    public async Task In_a_shallow_clone_an_older_image_commit_it_lacks_is_refused_with_the_way_to_fetch_it()
    {
        var (sandbox, older, _) = await DeployedAsync();
        await using var __ = sandbox;
        // As actions/checkout leaves it by default: only the branch's tip (file:// so that --depth is honoured).
        var shallow = Path.Combine(sandbox.Root, "shallow");
        await sandbox.GitAsync(sandbox.Root, "clone", "--quiet", "--depth", "1", "file://" + sandbox.Remote, shallow);

        var error = await Assert.ThrowsAsync<WriteBackException>(() =>
            WriteBack().RunAsync(new WriteBackRequest(shallow, GitSandbox.Branch, new ImageTarget(Repository, "sha-" + older[..7])) { RetryDelay = TimeSpan.FromMilliseconds(20) }));

        Assert.Contains($"which this shallow clone does not have. Fetch the full history (git fetch --unshallow; on GitHub Actions, actions/checkout with fetch-depth: 0), or pass --allow-rollback", error.Message);
    }
}
