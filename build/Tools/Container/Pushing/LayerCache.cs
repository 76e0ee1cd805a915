using System.Text.Json;
using CloudAge.Common.IO;
using CloudAge.Tools.Container.Oci;

namespace CloudAge.Tools.Container.Pushing;

/// <summary>
/// What earlier pushes learnt, kept in a folder (as the engine keeps its distribution metadata): each layer's compressed
/// descriptor by diff id, and each image's manifest by image id. A re-push of an unchanged image then asks the registry
/// whether it holds that manifest and exports, compresses and uploads nothing.
/// </summary>
internal sealed class LayerCache(string? directory)
{
    private readonly Lock _lock = new();
    private Dictionary<string, OciDescriptor>? _layers;

    private string? LayersFile => directory is null ? null : Path.Combine(directory, "layers.json");

    public OciDescriptor? Layer(string diffId)
    {
        lock (_lock)
            return Load().GetValueOrDefault(diffId);
    }

    public void AddLayer(string diffId, OciDescriptor compressed)
    {
        lock (_lock)
        {
            var layers = Load();
            layers[diffId] = compressed;
            if (LayersFile is { } file)
                AtomicFile.WriteBytes(file, JsonSerializer.SerializeToUtf8Bytes(layers));
        }
    }

    public byte[]? Manifest(string imageId)
    {
        if (directory is null)
            return null;
        var file = ManifestFile(imageId);
        try
        {
            if (!File.Exists(file))
                return null;
            var manifest = File.ReadAllBytes(file);
            CacheFolder.Touch(file);
            return manifest;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>How many image manifests the folder keeps: the newest by when they were last written or read.</summary>
    public const int ManifestsKept = 500;

    public void AddManifest(string imageId, byte[] manifest)
    {
        if (directory is null)
            return;
        var file = ManifestFile(imageId);
        AtomicFile.WriteBytes(file, manifest);
        CacheFolder.KeepNewest(Path.GetDirectoryName(file)!, ManifestsKept,
            name => name.Length == 64 + ".json".Length && name.EndsWith(".json", StringComparison.Ordinal) && name[..64].All(char.IsAsciiHexDigitLower));
    }

    private string ManifestFile(string imageId) => Path.Combine(directory!, "manifests", imageId.Replace("sha256:", "", StringComparison.Ordinal) + ".json");

    private Dictionary<string, OciDescriptor> Load()
    {
        if (_layers is not null)
            return _layers;
        _layers = new Dictionary<string, OciDescriptor>(StringComparer.Ordinal);
        try
        {
            if (LayersFile is { } file && File.Exists(file))
                _layers = JsonSerializer.Deserialize<Dictionary<string, OciDescriptor>>(File.ReadAllBytes(file)) ?? _layers;
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            // A damaged cache only costs a compression; it is rewritten on the next push.
        }
        return _layers;
    }
}
