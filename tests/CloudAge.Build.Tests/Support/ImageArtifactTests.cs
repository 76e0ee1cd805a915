using System.Text.Json;
using CloudAge.Build.Support;

namespace CloudAge.Build.Tests.Support;

/// <summary>artifacts/image.json keeps the keys scripts and CI read, and what PushEcr writes is what ScanEcr and Deploy read.</summary>
public sealed class ImageArtifactTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static ImageArtifact Sample() =>
        new("127.0.0.1:5000/cloudage", "sha256:" + new string('a', 64), ["1.2.3", "sha-0123abc"], ["latest"], "0123abc" + new string('0', 33), "1.2.3");

    [Fact]
    public void Written_json_has_the_documented_keys_in_order_and_reads_back_equal()
    {
        var path = _directory.PathOf("artifacts/image.json");

        Sample().Write(path);

        using var json = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal(["imageUri", "digest", "tags", "skippedTags", "commit", "version", "platforms"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.EndsWith("\n", File.ReadAllText(path), StringComparison.Ordinal);
        var read = ImageArtifact.Read(path)!;
        Assert.Equal(Sample().Digest, read.Digest);
        Assert.Equal(Sample().Tags, read.Tags);
        Assert.Equal(Sample().SkippedTags, read.SkippedTags);
        Assert.Equal("127.0.0.1:5000/cloudage:1.2.3", read.Reference(read.Tags[0]));
    }

    [Fact]
    public void A_missing_file_is_null_and_a_foreign_one_is_a_sentence_naming_it()
    {
        Assert.Null(ImageArtifact.Read(_directory.PathOf("none.json")));

        var path = _directory.Write("image.json", """{"image":"x"}""");
        var error = Assert.Throws<InvalidOperationException>(() => ImageArtifact.Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("PushEcr", error.Message, StringComparison.Ordinal);
    }
}
