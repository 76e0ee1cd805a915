using CloudAge.Common.IO;

namespace CloudAge.Workflows;

/// <summary>Writes generated workflow files (the GenerateWorkflows target) and removes ones no attribute generates any more.</summary>
public static class WorkflowFiles
{
    /// <summary>Writes only files whose content changed, each atomically; returns the paths written or deleted.</summary>
    public static IReadOnlyList<string> Write(string root, IReadOnlyList<GeneratedFile> generatedFiles, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(generatedFiles);
        ArgumentNullException.ThrowIfNull(log);
        var changed = new List<string>();
        foreach (var stale in WorkflowDrift.StaleGeneratedFiles(root, generatedFiles).ToList())
        {
            File.Delete(Path.Combine(root, stale));
            log($"Deleted {stale} (no attribute generates it any more).");
            changed.Add(stale);
        }
        foreach (var file in generatedFiles)
        {
            var path = Path.Combine(root, file.RelativePath);
            if (File.Exists(path) && File.ReadAllText(path) == file.Content)
                continue;
            AtomicFile.Write(path, file.Content);
            log($"Wrote {file.RelativePath}.");
            changed.Add(file.RelativePath);
        }
        if (changed.Count == 0)
            log("Workflow files are up to date.");
        return changed;
    }
}
