using CloudAge.Tools.Container.Pushing;

namespace CloudAge.Tools.Container.Tests.Pushing;

/// <summary>The push cache's manifest folder is bounded: a manifest per image pushed, the newest kept.</summary>
public class LayerCacheTests
{
    [Fact]
    public void The_manifest_folder_keeps_the_newest_manifests_and_a_manifest_read_counts_as_new()
    {
        using var folder = new TempDirectory();
        var cache = new LayerCache(folder.Path);
        var start = DateTime.UtcNow.AddDays(-30); // in the past, so that a manifest read now is the newest
        static string Image(int i) => $"sha256:{i:x64}";
        string File(int i) => folder.PathOf($"manifests/{i:x64}.json");
        for (var i = 0; i < LayerCache.ManifestsKept; i++)
        {
            cache.AddManifest(Image(i), [(byte)'{', (byte)'}']);
            System.IO.File.SetLastWriteTimeUtc(File(i), start.AddMinutes(i));
        }

        // The oldest manifest is read (a re-push of that image), so the next oldest is the one that goes.
        Assert.Equal("{}"u8.ToArray(), cache.Manifest(Image(0)));
        cache.AddManifest(Image(LayerCache.ManifestsKept), "{}"u8.ToArray());

        // Someone else's file in the folder is neither counted nor deleted.
        System.IO.File.SetLastWriteTimeUtc(folder.Write("manifests/README", "mine"), start.AddDays(-1));
        cache.AddManifest(Image(LayerCache.ManifestsKept + 1), "{}"u8.ToArray());
        Assert.Equal(LayerCache.ManifestsKept + 1, Directory.GetFiles(folder.PathOf("manifests")).Length);
        Assert.True(System.IO.File.Exists(folder.PathOf("manifests/README")));
        Assert.True(System.IO.File.Exists(File(0)));
        Assert.False(System.IO.File.Exists(File(1)));
        Assert.True(System.IO.File.Exists(File(LayerCache.ManifestsKept)));
        Assert.Null(cache.Manifest(Image(1)));
    }
}
