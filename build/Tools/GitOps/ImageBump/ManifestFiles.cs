using System.Text;
using CloudAge.Common.IO;

namespace CloudAge.Tools.GitOps.ImageBump;

/// <summary>Reads and writes the manifest folder byte for byte (a UTF-8 BOM survives as U+FEFF in the text).</summary>
public static class ManifestFiles
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Every *.yaml and *.yml under <paramref name="root"/>/<paramref name="folder"/>, keyed by path relative to root with '/'.</summary>
    public static IReadOnlyDictionary<string, string> Read(string root, string folder)
    {
        var directory = Path.Combine(root, folder);
        if (!Directory.Exists(directory))
            throw new ManifestEditException($"The manifest folder {directory} does not exist; pass the folder that holds the Kubernetes manifests.");
        return Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(f => Path.GetRelativePath(root, f).Replace('\\', '/'), f => Utf8.GetString(File.ReadAllBytes(f)), StringComparer.Ordinal);
    }

    /// <summary>Writes each changed file atomically: a temporary file in the same folder, then a rename over the original.</summary>
    public static void Write(string root, IEnumerable<ManifestEdit> edits)
    {
        ArgumentNullException.ThrowIfNull(edits);
        foreach (var edit in edits.Where(e => e.Changed))
        {
            AtomicFile.WriteBytes(Path.Combine(root, edit.File), Utf8.GetBytes(edit.NewText));
        }
    }
}
