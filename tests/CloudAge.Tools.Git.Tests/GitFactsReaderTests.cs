using CloudAge.Common.Processes;
using CloudAge.Common.Secrets;
using CloudAge.Tools.Git;
using CloudAge.Testing;

namespace CloudAge.Tools.Git.Tests;

/// <summary>Reads facts from a real git repository in a temporary directory.</summary>
public sealed class GitFactsReaderTests : IDisposable
{
    private readonly TempDirectory _repository = new();
    private readonly ProcessRunner _runner = new(new SecretMasker(), _ => { });

    private async Task Git(params string[] arguments) =>
        await _runner.RunAsync(new ProcessSpec("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", .. arguments])
        {
            WorkingDirectory = _repository.Path,
            StreamOutput = false,
        });

    private async Task<string> Commit(string file)
    {
        _repository.Write(file, Guid.NewGuid().ToString());
        await Git("add", file);
        await Git("commit", "-q", "-m", file);
        return (await _runner.RunAsync(new ProcessSpec("git", ["rev-parse", "HEAD"]) { WorkingDirectory = _repository.Path, StreamOutput = false })).StandardOutput.Trim();
    }

    [Fact]
    public async Task Reads_head_branch_nearest_version_tag_distance_and_dirtiness()
    {
        await Git("init", "-q", "-b", "main");
        await Commit("a");
        await Git("tag", "v1.4.0");
        await Git("tag", "other-tag");
        await Commit("b");
        var head = await Commit("c");

        var clean = await new GitFactsReader(_runner).ReadAsync(_repository.Path, "main");
        _repository.Write("untracked.txt");
        var dirty = await new GitFactsReader(_runner).ReadAsync(_repository.Path, "main");

        Assert.Equal(new GitFacts(head, "main", "main", "v1.4.0", 2, false), clean);
        Assert.True(dirty.IsDirty);
        Assert.Equal(["1.4.1-dev.2", "latest", "sha-" + head[..7]], ImageTags.Compute(clean).Tags);
    }

    [Fact]
    public async Task A_repository_without_version_tags_and_a_detached_head_has_neither()
    {
        await Git("init", "-q", "-b", "main");
        var first = await Commit("a");
        await Commit("b");
        await Git("checkout", "-q", "--detach", first);

        var facts = await new GitFactsReader(_runner).ReadAsync(_repository.Path, "main");

        Assert.Equal(new GitFacts(first, null, "main", null, 0, false), facts);
    }

    [Fact]
    public async Task At_the_tag_the_distance_is_zero()
    {
        await Git("init", "-q", "-b", "release");
        await Commit("a");
        await Git("tag", "-a", "v2.0.0", "-m", "release");

        var facts = await new GitFactsReader(_runner).ReadAsync(_repository.Path, "main");

        Assert.Equal(("v2.0.0", 0, "release"), (facts.VersionTag, facts.CommitsSinceTag, facts.Branch));
    }

    public void Dispose() => _repository.Dispose();
}
