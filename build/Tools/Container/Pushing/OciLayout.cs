using System.Text.Json;
using CloudAge.Tools.Container.Oci;

namespace CloudAge.Tools.Container.Pushing;

/// <summary>
/// What an export's OCI image layout (image-spec image-layout.md: <c>index.json</c> and <c>blobs/sha256/</c>) says about
/// the image beyond <c>manifest.json</c>: the digests the engine may name it by.
/// </summary>
internal static class OciLayout
{
    // An index nested deeper than this is not an image the engine built.
    private const int MaxDepth = 4;

    /// <summary>
    /// Adds to <paramref name="identities"/> the digest of every manifest, or index, reachable from the layout's
    /// <c>index.json</c> that leads to a manifest whose config is <paramref name="configDigest"/>. Blobs the export left
    /// out (other platforms of a multi-platform image) and blobs whose bytes do not match their name are not followed.
    /// </summary>
    public static async Task AddIdentitiesAsync(string indexPath, Func<string, ExportedLayer?> blob, string configDigest,
        HashSet<string> identities, CancellationToken cancellationToken)
    {
        List<string> roots;
        using (var index = await ParseAsync(indexPath, cancellationToken).ConfigureAwait(false))
            roots = Children(index);
        foreach (var digest in roots)
            await LeadsToAsync(digest, 0).ConfigureAwait(false);

        async Task<bool> LeadsToAsync(string digest, int depth)
        {
            if (depth > MaxDepth || blob(digest) is not { } file || file.Digest != digest)
                return false;
            using var document = await ParseAsync(file.Path, cancellationToken).ConfigureAwait(false);
            var found = document?.RootElement is { ValueKind: JsonValueKind.Object } root
                && root.TryGetProperty("config", out var config) && config.ValueKind == JsonValueKind.Object
                && config.TryGetProperty("digest", out var named) && named.ValueKind == JsonValueKind.String && named.GetString() == configDigest;
            foreach (var child in Children(document))
                found |= await LeadsToAsync(child, depth + 1).ConfigureAwait(false);
            if (found)
                identities.Add(digest);
            return found;
        }
    }

    // The digests an index lists; none for anything else.
    private static List<string> Children(JsonDocument? document) =>
        document?.RootElement is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("manifests", out var manifests) && manifests.ValueKind == JsonValueKind.Array
            ? manifests.EnumerateArray()
                .Select(m => m.ValueKind == JsonValueKind.Object && m.TryGetProperty("digest", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null)
                .OfType<string>().Where(d => d.StartsWith("sha256:", StringComparison.Ordinal) && OciDescriptor.IsSha256Hex(d[7..])).ToList()
            : [];

    // A document of the layout, or null when it is not JSON (a layer is never asked for; a damaged blob is not followed).
    private static async Task<JsonDocument?> ParseAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await using var file = File.OpenRead(path);
            return await JsonDocument.ParseAsync(file, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>Whether a layer file is already compressed, told by its first bytes as the engine itself tells (moby pkg/archive DetectCompression).</summary>
internal static class LayerCompression
{
    /// <summary>The OCI media type of a gzip (1f 8b) or zstd (28 b5 2f fd) stream; null for anything else, an uncompressed tar.</summary>
    public static string? Sniff(ReadOnlySpan<byte> head) =>
        head.StartsWith((ReadOnlySpan<byte>)[0x1f, 0x8b]) ? OciMediaTypes.LayerGzip
        : head.StartsWith((ReadOnlySpan<byte>)[0x28, 0xb5, 0x2f, 0xfd]) ? OciMediaTypes.LayerZstd
        : null;
}
