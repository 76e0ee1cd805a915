using CloudAge.Tools.Git;

namespace CloudAge.Tools.Git.Tests;

public class ImageTagsTests
{
    private const string Sha = "0123abcdef456789012345678901234567890abc";

    private static GitFacts Facts(string? tag = null, int since = 0, string? branch = "main", bool dirty = false) =>
        new(Sha, branch, "main", tag, since, dirty);

    [Fact]
    public void At_a_version_tag_on_the_default_branch_gives_version_latest_and_sha()
    {
        var tags = ImageTags.Compute(Facts("v1.2.3"));

        Assert.Equal(["1.2.3", "latest", "sha-0123abc"], tags.Tags);
        Assert.Equal("1.2.3", tags.Version);
    }

    [Fact]
    public void After_a_version_tag_gives_the_next_patch_as_a_dev_prerelease()
    {
        var tags = ImageTags.Compute(Facts("v1.2.3", since: 4));

        Assert.Equal(["1.2.4-dev.4", "latest", "sha-0123abc"], tags.Tags);
    }

    [Fact]
    public void After_a_prerelease_tag_appends_dev_to_the_prerelease()
    {
        var tags = ImageTags.Compute(Facts("v2.0.0-rc.1", since: 2));

        Assert.Equal("2.0.0-rc.1.dev.2", tags.Version);
    }

    [Fact]
    public void Without_a_version_tag_there_is_no_semver_tag()
    {
        var tags = ImageTags.Compute(Facts());

        Assert.Equal(["latest", "sha-0123abc"], tags.Tags);
        Assert.Equal("0.0.0-dev.g0123abc", tags.Version);
    }

    [Fact]
    public void Latest_is_only_given_on_the_default_branch()
    {
        Assert.DoesNotContain("latest", ImageTags.Compute(Facts("v1.0.0", branch: "feature/x")).Tags);
        Assert.DoesNotContain("latest", ImageTags.Compute(Facts("v1.0.0", branch: null)).Tags);
    }

    [Fact]
    public void A_dirty_tree_is_marked_on_the_sha_tag_and_gets_neither_version_nor_latest()
    {
        var tags = ImageTags.Compute(Facts("v1.2.3", dirty: true), ["pr-7"]);

        Assert.Equal(["sha-0123abc-dirty", "pr-7"], tags.Tags);
        Assert.Equal("1.2.3+dirty", tags.Version);
    }

    [Fact]
    public void Extra_tags_are_appended_once()
    {
        var tags = ImageTags.Compute(Facts(branch: "dev"), ["candidate", "candidate", "sha-0123abc"]);

        Assert.Equal(["sha-0123abc", "candidate"], tags.Tags);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("-leading-dash")]
    [InlineData("with:colon")]
    public void An_invalid_extra_tag_is_refused(string tag) =>
        Assert.Contains(tag, Assert.Throws<ArgumentException>(() => ImageTags.Compute(Facts(), [tag])).Message);

    [Fact]
    public void A_v_tag_that_is_not_semver_is_refused_with_its_name() =>
        Assert.Contains("'v1.2'", Assert.Throws<ArgumentException>(() => ImageTags.Compute(Facts("v1.2"))).Message);
}
