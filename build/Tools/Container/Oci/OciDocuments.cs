using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CloudAge.Tools.Container.Oci;

/// <summary>The os/architecture an image manifest is for, as an index lists it.</summary>
public sealed record OciPlatform(
    [property: JsonPropertyName("architecture")] string Architecture,
    [property: JsonPropertyName("os")] string Os,
    [property: JsonPropertyName("variant"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Variant = null)
{
    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}

/// <summary>An OCI content descriptor (image-spec descriptor.md); property order is fixed so a document's bytes, and so its digest, are stable.</summary>
public sealed record OciDescriptor(
    [property: JsonPropertyName("mediaType")] string MediaType,
    [property: JsonPropertyName("digest")] string Digest,
    [property: JsonPropertyName("size")] long Size)
{
    [JsonPropertyName("platform"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public OciPlatform? Platform { get; init; }

    [JsonPropertyName("artifactType"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ArtifactType { get; init; }

    [JsonPropertyName("annotations"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SortedDictionary<string, string>? Annotations { get; init; }

    /// <summary>The descriptor of <paramref name="content"/> with its sha256 digest.</summary>
    public static OciDescriptor Of(string mediaType, byte[] content) => new(mediaType, Sha256(content), content.Length);

    public static string Sha256(ReadOnlySpan<byte> content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>True for the 64 lower-case hex digits of a SHA-256 (a digest without its <c>sha256:</c>).</summary>
    public static bool IsSha256Hex(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigitLower);
}

/// <summary>An image manifest, or with <see cref="ArtifactType"/> and <see cref="Subject"/> an artifact attached to another manifest (OCI 1.1).</summary>
public sealed record OciManifest(
    [property: JsonPropertyName("config")] OciDescriptor Config,
    [property: JsonPropertyName("layers")] IReadOnlyList<OciDescriptor> Layers)
{
    [JsonPropertyName("schemaVersion"), JsonPropertyOrder(-3)]
    public int SchemaVersion { get; init; } = 2;

    [JsonPropertyName("mediaType"), JsonPropertyOrder(-2)]
    public string MediaType { get; init; } = OciMediaTypes.ImageManifest;

    [JsonPropertyName("artifactType"), JsonPropertyOrder(-1), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ArtifactType { get; init; }

    [JsonPropertyName("subject"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public OciDescriptor? Subject { get; init; }

    [JsonPropertyName("annotations"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SortedDictionary<string, string>? Annotations { get; init; }
}

/// <summary>An image index: one manifest per platform, or (as the referrers API and its fallback tag answer) the artifacts referring to a subject.</summary>
public sealed record OciIndex([property: JsonPropertyName("manifests")] IReadOnlyList<OciDescriptor> Manifests)
{
    [JsonPropertyName("schemaVersion"), JsonPropertyOrder(-2)]
    public int SchemaVersion { get; init; } = 2;

    [JsonPropertyName("mediaType"), JsonPropertyOrder(-1)]
    public string MediaType { get; init; } = OciMediaTypes.ImageIndex;

    [JsonPropertyName("annotations"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SortedDictionary<string, string>? Annotations { get; init; }
}

/// <summary>Canonical bytes of the documents above (compact, fixed property order), and reading what a registry answers.</summary>
public static class OciJson
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions ReadOptions = new() { PropertyNameCaseInsensitive = false };

    public static byte[] Serialize<T>(T document) => JsonSerializer.SerializeToUtf8Bytes(document, Options);

    public static T Deserialize<T>(byte[] content, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(content, ReadOptions) ?? throw new ContainerException($"{what} is empty JSON (null).");
        }
        catch (JsonException e)
        {
            throw new ContainerException($"{what} is not a valid OCI document: {e.Message}", e);
        }
    }
}
