using System.Text.Json;
using CloudAge.Common.IO;

namespace CloudAge.Build.Support;

/// <summary>
/// What PushEcr pushed, kept in <c>artifacts/image.json</c> so the steps after it (ScanEcr, Deploy) and CI scripts
/// need not share a process with the push. The JSON keys (<c>imageUri</c>, <c>digest</c>, <c>tags</c>,
/// <c>skippedTags</c>, <c>commit</c>, <c>version</c>) are part of the build's interface: keep them.
/// </summary>
public sealed record ImageArtifact(string ImageUri, string Digest, IReadOnlyList<string> Tags, IReadOnlyList<string> SkippedTags, string Commit, string Version)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Each platform's manifest digest (the index lists them; <see cref="Digest"/> is the index). Absent in files older builds wrote.</summary>
    public IReadOnlyList<ImagePlatform>? Platforms { get; init; }

    public string Reference(string tag) => $"{ImageUri}:{tag}";

    public void Write(string path) => AtomicFile.Write(path, JsonSerializer.Serialize(this, Json) + "\n");

    /// <summary>The artifact at <paramref name="path"/>, or null when there is none.</summary>
    public static ImageArtifact? Read(string path)
    {
        if (!File.Exists(path))
            return null;
        try
        {
            var artifact = JsonSerializer.Deserialize<ImageArtifact>(File.ReadAllText(path), Json);
            if (artifact is { ImageUri: not null, Digest: not null, Tags: not null })
                return artifact with { SkippedTags = artifact.SkippedTags ?? [] };
        }
        catch (JsonException)
        {
        }
        throw new InvalidOperationException($"{path} is not the image description PushEcr writes (imageUri, digest, tags); delete it and run ./build.sh PushEcr again.");
    }
}

/// <summary>One platform of a pushed image: <c>linux/arm64</c> and its manifest digest.</summary>
public sealed record ImagePlatform(string Platform, string Digest);
