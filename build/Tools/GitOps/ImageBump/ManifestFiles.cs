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

    /// <summary>
    /// Writes each changed file atomically: a temporary file in the same folder, then a rename over the original. A
    /// manifest that is a symbolic link stays one, and the file it leads to is edited, which must be in the repository
    /// (a commit would not carry an edit outside it): checked for every file before any is written.
    /// </summary>
    /// <returns>The files written, relative to <paramref name="root"/> with '/': what a commit of the edit stages.</returns>
    public static IReadOnlyList<string> Write(string root, IEnumerable<ManifestEdit> edits)
    {
        ArgumentNullException.ThrowIfNull(edits);
        var changed = edits.Where(e => e.Changed).ToList();
        var inside = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var targets = new List<string>();
        foreach (var edit in changed)
        {
            var target = Path.GetFullPath(AtomicFile.Target(Path.Combine(root, edit.File)));
            if (!target.StartsWith(inside, StringComparison.Ordinal))
                throw new ManifestEditException($"{edit.File} is a symbolic link to {target}, outside the repository, so a commit could not carry the new image; make it a file or link it within the repository.");
            targets.Add(Path.GetRelativePath(root, target).Replace('\\', '/'));
        }
        foreach (var edit in changed)
            AtomicFile.WriteBytes(Path.Combine(root, edit.File), Utf8.GetBytes(edit.NewText));
        return targets.Distinct(StringComparer.Ordinal).ToList();
    }
}
