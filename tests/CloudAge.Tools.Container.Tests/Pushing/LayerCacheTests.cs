using CloudAge.Tools.Container.Oci;
using CloudAge.Tools.Container.Pushing;

namespace CloudAge.Tools.Container.Tests.Pushing;

/// <summary>
/// The push cache: a small file per layer descriptor and per manifest, so two builds sharing the folder keep each
/// other's entries; each folder keeps its newest entries; only sha256 digests name files.
/// </summary>
public class LayerCacheTests
{
    private static string Digest(int i) => $"sha256:{i:x64}";

    private static OciDescriptor Compressed(int i) => new("application/vnd.oci.image.layer.v1.tar+gzip", Digest(1000 + i), 100 + i);

    [Fact]
    public void Layers_written_by_two_builds_sharing_the_folder_are_both_kept()
    {
        using var folder = new TempDirectory();
        var one = new LayerCache(folder.Path);
        var other = new LayerCache(folder.Path); // another build's process

        one.AddLayer(Digest(1), Compressed(1));
        other.AddLayer(Digest(2), Compressed(2));

        Assert.Equal(Compressed(1), new LayerCache(folder.Path).Layer(Digest(1)));
        Assert.Equal(Compressed(2), new LayerCache(folder.Path).Layer(Digest(2)));
        Assert.Null(one.Layer(Digest(3)));
        Assert.Null(new LayerCache(null).Layer(Digest(1)));
    }

    [Fact]
    public void Only_sha256_digests_name_entries_and_a_damaged_entry_is_no_entry()
    {
        using var folder = new TempDirectory();
        var cache = new LayerCache(folder.Path);

        cache.AddLayer("../../escape", Compressed(1));
        cache.AddLayer("sha256:../../" + new string('a', 58), Compressed(1));
        cache.AddManifest("sha512:" + new string('a', 128), "{}"u8.ToArray());
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));

        cache.AddLayer(Digest(1), Compressed(1));
        File.WriteAllText(folder.PathOf($"layers/{1:x64}.json"), "{ not json");
        Assert.Null(cache.Layer(Digest(1)));
    }

    [Fact]
    public void Each_folder_keeps_its_newest_entries_and_an_entry_read_counts_as_new()
    {
        using var folder = new TempDirectory();
        var cache = new LayerCache(folder.Path, layersKept: 3, manifestsKept: 3);
        var start = DateTime.UtcNow.AddDays(-30); // in the past, so that an entry read now is the newest
        string Path(string kind, int i) => folder.PathOf($"{kind}/{i:x64}.json");
        for (var i = 0; i < 3; i++)
        {
            cache.AddLayer(Digest(i), Compressed(i));
            File.SetLastWriteTimeUtc(Path("layers", i), start.AddMinutes(i));
            cache.AddManifest(Digest(i), "{}"u8.ToArray());
            File.SetLastWriteTimeUtc(Path("manifests", i), start.AddMinutes(i));
        }
        // Someone else's file in a folder is neither counted nor deleted.
        File.SetLastWriteTimeUtc(folder.Write("manifests/README", "mine"), start.AddDays(-1));

        // The oldest entries are read (a re-push of that image), so the next oldest are the ones that go.
        Assert.Equal(Compressed(0), cache.Layer(Digest(0)));
        Assert.Equal("{}"u8.ToArray(), cache.Manifest(Digest(0)));
        cache.AddLayer(Digest(3), Compressed(3));
        cache.AddManifest(Digest(3), "{}"u8.ToArray());

        foreach (var kind in new[] { "layers", "manifests" })
        {
            Assert.True(File.Exists(Path(kind, 0)));
            Assert.False(File.Exists(Path(kind, 1)));
            Assert.True(File.Exists(Path(kind, 2)));
            Assert.True(File.Exists(Path(kind, 3)));
        }
        Assert.True(File.Exists(folder.PathOf("manifests/README")));
        Assert.Null(cache.Layer(Digest(1)));
        Assert.Null(cache.Manifest(Digest(1)));
    }
}
