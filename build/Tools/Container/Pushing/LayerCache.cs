using System.Text.Json;
using CloudAge.Common.IO;
using CloudAge.Tools.Container.Oci;

namespace CloudAge.Tools.Container.Pushing;

/// <summary>
/// What earlier pushes learnt, kept in a folder (as the engine keeps its distribution metadata): each layer's compressed
/// descriptor by diff id, and each image's manifest by image id, a small file each. A re-push of an unchanged image then
/// asks the registry whether it holds that manifest and exports, compresses and uploads nothing. A file per entry means
/// two builds sharing the folder never overwrite each other's entries, and each folder keeps only its newest entries.
/// </summary>
internal sealed class LayerCache(string? directory, int layersKept = LayerCache.LayersKept, int manifestsKept = LayerCache.ManifestsKept)
{
    /// <summary>How many layer descriptors the folder keeps: the newest by when they were last written or read.</summary>
    public const int LayersKept = 2000;

    /// <summary>How many image manifests the folder keeps: the newest by when they were last written or read.</summary>
    public const int ManifestsKept = 500;

    public OciDescriptor? Layer(string diffId)
    {
        if (EntryFile("layers", diffId) is not { } file)
            return null;
        try
        {
            if (!File.Exists(file))
                return null;
            var layer = JsonSerializer.Deserialize<OciDescriptor>(File.ReadAllBytes(file));
            CacheFolder.Touch(file);
            return layer;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null; // a damaged or vanished entry only costs a compression; it is rewritten on the next push
        }
    }

    public void AddLayer(string diffId, OciDescriptor compressed)
    {
        if (EntryFile("layers", diffId) is not { } file)
            return;
        AtomicFile.WriteBytes(file, JsonSerializer.SerializeToUtf8Bytes(compressed));
        CacheFolder.KeepNewest(Path.GetDirectoryName(file)!, layersKept, IsEntry);
    }

    public byte[]? Manifest(string imageId)
    {
        if (EntryFile("manifests", imageId) is not { } file)
            return null;
        try
        {
            if (!File.Exists(file))
                return null;
            var manifest = File.ReadAllBytes(file);
            CacheFolder.Touch(file);
            return manifest;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void AddManifest(string imageId, byte[] manifest)
    {
        if (EntryFile("manifests", imageId) is not { } file)
            return;
        AtomicFile.WriteBytes(file, manifest);
        CacheFolder.KeepNewest(Path.GetDirectoryName(file)!, manifestsKept, IsEntry);
    }

    // <folder>/<kind>/<64 hex>.json for a sha256 digest; anything else (not what an engine gives) is not cached, so no
    // name from outside can point the file elsewhere.
    private string? EntryFile(string kind, string digest) =>
        directory is not null && digest.StartsWith("sha256:", StringComparison.Ordinal) && IsHex(digest["sha256:".Length..])
            ? Path.Combine(directory, kind, digest["sha256:".Length..] + ".json")
            : null;

    private static bool IsEntry(string name) => name.Length == 64 + ".json".Length && name.EndsWith(".json", StringComparison.Ordinal) && IsHex(name[..64]);

    private static bool IsHex(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigitLower);
}
