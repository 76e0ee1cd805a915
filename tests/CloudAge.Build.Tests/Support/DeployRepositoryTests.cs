using CloudAge.Build.Support;

namespace CloudAge.Build.Tests.Support;

/// <summary>
/// The repository BumpTag writes: --image-repository, else where PushEcr pushed the tag on this machine
/// (artifacts/image.json, which the digest also comes from), else &lt;registry&gt;/&lt;repository&gt;, else the manifests.
/// </summary>
public sealed class DeployRepositoryTests
{
    private static readonly ImageArtifact Pushed =
        new("127.0.0.1:5000/cloudage", "sha256:" + new string('a', 64), ["1.2.3", "sha-0123abc"], [], "0123abc" + new string('0', 33), "1.2.3");

    private static string Manifests() => "123456789012.dkr.ecr.us-east-1.amazonaws.com/cloudage";

    [Fact]
    public void Each_source_is_used_only_when_every_one_before_it_says_nothing()
    {
        Assert.Equal("registry.example.com/team/app",
            DeployRepository.Choose("registry.example.com/team/app", Pushed, "sha-0123abc", "127.0.0.1:6000", "cloudage", Manifests));
        // The push of this tag on this machine names the repository the digest belongs to, ahead of --registry.
        Assert.Equal("127.0.0.1:5000/cloudage", DeployRepository.Choose(null, Pushed, "sha-0123abc", "127.0.0.1:6000", "cloudage", Manifests));
        Assert.Equal("127.0.0.1:5000/cloudage", DeployRepository.Choose(null, Pushed, "sha-0123abc", null, "cloudage", Manifests));
        // Another tag than the one pushed: the file says nothing about it.
        Assert.Equal("127.0.0.1:6000/cloudage", DeployRepository.Choose(null, Pushed, "sha-fedcba9", "127.0.0.1:6000", "cloudage", Manifests));
        Assert.Equal(Manifests(), DeployRepository.Choose(null, Pushed, "sha-fedcba9", null, "cloudage", Manifests));
        Assert.Equal(Manifests(), DeployRepository.Choose(null, null, "sha-0123abc", null, "cloudage", Manifests));
    }

    [Fact]
    public void The_manifests_are_read_only_when_nothing_else_names_the_repository()
    {
        var reads = 0;
        string Counting()
        {
            reads++;
            return Manifests();
        }

        DeployRepository.Choose(null, Pushed, "sha-0123abc", null, "cloudage", Counting);
        DeployRepository.Choose(null, null, "sha-0123abc", "127.0.0.1:6000", "cloudage", Counting);
        Assert.Equal(0, reads);
        DeployRepository.Choose(null, null, "sha-0123abc", null, "cloudage", Counting);
        Assert.Equal(1, reads);
    }
}
