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
        try
        {
            return Read("layers", diffId) is { } json ? JsonSerializer.Deserialize<OciDescriptor>(json) : null;
        }
        catch (JsonException)
        {
            return null; // a damaged entry only costs a compression; it is rewritten on the next push
        }
    }

    public void AddLayer(string diffId, OciDescriptor compressed) =>
        Write("layers", diffId, JsonSerializer.SerializeToUtf8Bytes(compressed), layersKept);

    public byte[]? Manifest(string imageId) => Read("manifests", imageId);

    public void AddManifest(string imageId, byte[] manifest) => Write("manifests", imageId, manifest, manifestsKept);

    // An entry's bytes, marked as used now; null when there is none (never written, pruned meanwhile, unreadable).
    private byte[]? Read(string kind, string digest)
    {
        if (EntryFile(kind, digest) is not { } file)
            return null;
        try
        {
            if (!File.Exists(file))
                return null;
            var content = File.ReadAllBytes(file);
            CacheFolder.Touch(file);
            return content;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void Write(string kind, string digest, byte[] content, int kept)
    {
        if (EntryFile(kind, digest) is not { } file)
            return;
        AtomicFile.WriteBytes(file, content);
        CacheFolder.KeepNewest(Path.GetDirectoryName(file)!, kept, IsEntry);
    }

    // <folder>/<kind>/<64 hex>.json for a sha256 digest; anything else (not what an engine gives) is not cached, so no
    // name from outside can point the file elsewhere.
    private string? EntryFile(string kind, string digest) =>
        directory is not null && digest.StartsWith("sha256:", StringComparison.Ordinal) && OciDescriptor.IsSha256Hex(digest["sha256:".Length..])
            ? Path.Combine(directory, kind, digest["sha256:".Length..] + ".json")
            : null;

    private static bool IsEntry(string name) => name.EndsWith(".json", StringComparison.Ordinal) && OciDescriptor.IsSha256Hex(name[..^".json".Length]);
}
