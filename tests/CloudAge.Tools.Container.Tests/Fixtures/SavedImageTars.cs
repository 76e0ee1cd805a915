using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CloudAge.Tools.Container.Tests.Fixtures;

/// <summary>
/// One small image (layers A, B and A again, as an image whose two steps left the same files has) in the two tars
/// <c>GET /images/{name}/get</c> answers with. <see cref="Legacy"/> is the layout of engines before 25: a folder per
/// layer with <c>layer.tar</c>, the repeated layer a symbolic link to the first, the config as <c>&lt;hex&gt;.json</c>.
/// <see cref="Oci"/> is the OCI image layout of engines 25 and later (moby image/tarexport/save.go): config, layers
/// (uncompressed, named by their diff id), each layer's v1 json and the manifest as <c>blobs/sha256/&lt;hex&gt;</c>, in
/// the name order the engine's tar writer walks them, so <c>manifest.json</c> comes after the blobs it names.
/// <see cref="Containerd"/> is what an engine with the containerd image store writes (containerd
/// core/images/archive/exporter.go): the same layout, but layers gzipped as the content store holds them and named by
/// that compressed digest, and the image's ID the digest of its manifest (or of an index around it).
/// </summary>
public sealed class SavedImageTars
{
    private readonly byte[][] _layers;

    public SavedImageTars()
    {
        _layers = [Layer("a.txt", "layer A\n"), Layer("b.txt", "layer B\n")];
        DiffIds = [Sha256(_layers[0]), Sha256(_layers[1]), Sha256(_layers[0])];
        Config = JsonSerializer.SerializeToUtf8Bytes(new
        {
            architecture = "amd64",
            os = "linux",
            created = "1970-01-01T00:00:00Z",
            config = new { Env = new[] { "PATH=/bin" } },
            rootfs = new { type = "layers", diff_ids = DiffIds },
        });
    }

    public byte[] Config { get; }

    public string ImageId => Sha256(Config);

    /// <summary>The config's diff_ids: sha256 of each uncompressed layer, in order.</summary>
    public IReadOnlyList<string> DiffIds { get; }

    public byte[] LayerBytes(string diffId) => _layers.Single(l => Sha256(l) == diffId);

    public byte[] Legacy()
    {
        var v1Ids = DiffIds.Select((_, i) => Hex(Encoding.UTF8.GetBytes($"v1 layer {i}"))).ToList();
        var configName = Hex(Config) + ".json";
        return Tar(
        [
            .. v1Ids.SelectMany((id, i) => new[]
            {
                Directory(id + "/"),
                File($"{id}/VERSION", "1.0"u8.ToArray()),
                File($"{id}/json", Encoding.UTF8.GetBytes($$"""{"id":"{{id}}"}""")),
                i == 2 ? Link($"{id}/layer.tar", $"../{v1Ids[0]}/layer.tar") : File($"{id}/layer.tar", _layers[i]),
            }),
            File(configName, Config),
            File("manifest.json", JsonSerializer.SerializeToUtf8Bytes(new[] { new { Config = configName, RepoTags = (string[]?)null, Layers = v1Ids.Select(id => $"{id}/layer.tar") } })),
        ]);
    }

    public byte[] Oci()
    {
        var blobs = new SortedDictionary<string, byte[]>(StringComparer.Ordinal) { [Hex(Config)] = Config };
        foreach (var (layer, i) in _layers.Select((l, i) => (l, i)))
        {
            blobs[Hex(layer)] = layer;
            var v1Json = Encoding.UTF8.GetBytes($$"""{"id":"v1 layer {{i}}"}""");
            blobs[Hex(v1Json)] = v1Json;
        }
        var ociManifest = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.oci.image.manifest.v1+json",
            config = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = ImageId, size = Config.Length },
            layers = DiffIds.Select(d => new { mediaType = "application/vnd.oci.image.layer.v1.tar", digest = d, size = LayerBytes(d).Length }),
        });
        blobs[Hex(ociManifest)] = ociManifest;
        var index = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.oci.image.index.v1+json",
            manifests = new[] { new { mediaType = "application/vnd.oci.image.manifest.v1+json", digest = Sha256(ociManifest), size = ociManifest.Length } },
        });
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new[]
        {
            new { Config = "blobs/sha256/" + Hex(Config), RepoTags = (string[]?)null, Layers = DiffIds.Select(d => "blobs/sha256/" + d[7..]), LayerSources = (object?)null },
        });
        return Tar(
        [
            Directory("blobs/"),
            Directory("blobs/sha256/"),
            .. blobs.Select(b => File("blobs/sha256/" + b.Key, b.Value)),
            File("index.json", index),
            File("manifest.json", manifest),
            File("oci-layout", """{"imageLayoutVersion": "1.0.0"}"""u8.ToArray()),
        ]);
    }

    /// <summary>Each layer gzipped, as the containerd content store holds a layer the engine built.</summary>
    public IReadOnlyList<byte[]> GzippedLayers => [.. DiffIds.Select(d => Gzip(LayerBytes(d)))];

    /// <summary>
    /// The containerd image store's export. <paramref name="inIndex"/>: the image is an index (as a multi-platform
    /// build makes) listing this manifest and an arm64 one the export leaves out; the image's ID is then the index's digest.
    /// </summary>
    public (byte[] Tar, string ImageId, string ManifestDigest) Containerd(bool inIndex = false)
    {
        var layers = GzippedLayers;
        var blobs = new SortedDictionary<string, byte[]>(StringComparer.Ordinal) { [Hex(Config)] = Config };
        foreach (var layer in layers)
            blobs[Hex(layer)] = layer;
        var ociManifest = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.oci.image.manifest.v1+json",
            config = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = ImageId, size = Config.Length },
            layers = layers.Select(l => new { mediaType = "application/vnd.oci.image.layer.v1.tar+gzip", digest = Sha256(l), size = l.Length }),
        });
        blobs[Hex(ociManifest)] = ociManifest;
        object target = new { mediaType = "application/vnd.oci.image.manifest.v1+json", digest = Sha256(ociManifest), size = ociManifest.Length };
        var imageId = Sha256(ociManifest);
        if (inIndex)
        {
            var platformIndex = JsonSerializer.SerializeToUtf8Bytes(new
            {
                schemaVersion = 2,
                mediaType = "application/vnd.oci.image.index.v1+json",
                manifests = new object[]
                {
                    new { mediaType = "application/vnd.oci.image.manifest.v1+json", digest = Sha256(ociManifest), size = ociManifest.Length, platform = new { architecture = "amd64", os = "linux" } },
                    new { mediaType = "application/vnd.oci.image.manifest.v1+json", digest = Sha256("not exported"u8.ToArray()), size = 12, platform = new { architecture = "arm64", os = "linux" } },
                },
            });
            blobs[Hex(platformIndex)] = platformIndex;
            target = new { mediaType = "application/vnd.oci.image.index.v1+json", digest = Sha256(platformIndex), size = platformIndex.Length };
            imageId = Sha256(platformIndex);
        }
        var index = JsonSerializer.SerializeToUtf8Bytes(new { schemaVersion = 2, mediaType = "application/vnd.oci.image.index.v1+json", manifests = new[] { target } });
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new[]
        {
            new { Config = "blobs/sha256/" + Hex(Config), RepoTags = (string[]?)null, Layers = layers.Select(l => "blobs/sha256/" + Hex(l)) },
        });
        var tar = Tar(
        [
            Directory("blobs/"),
            Directory("blobs/sha256/"),
            .. blobs.Select(b => File("blobs/sha256/" + b.Key, b.Value)),
            File("index.json", index),
            File("manifest.json", manifest),
            File("oci-layout", """{"imageLayoutVersion": "1.0.0"}"""u8.ToArray()),
        ]);
        return (tar, imageId, Sha256(ociManifest));
    }

    private static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(data);
        return output.ToArray();
    }

    private static byte[] Layer(string name, string text) => Tar([File(name, Encoding.UTF8.GetBytes(text))]);

    private static PaxTarEntry File(string name, byte[] data) => new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) };

    private static PaxTarEntry Directory(string name) => new(TarEntryType.Directory, name);

    private static PaxTarEntry Link(string name, string target) => new(TarEntryType.SymbolicLink, name) { LinkName = target };

    private static byte[] Tar(IEnumerable<TarEntry> entries)
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, leaveOpen: true))
        {
            foreach (var entry in entries)
                writer.WriteEntry(entry);
        }
        return tar.ToArray();
    }

    private static string Hex(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private static string Sha256(byte[] data) => "sha256:" + Hex(data);
}
