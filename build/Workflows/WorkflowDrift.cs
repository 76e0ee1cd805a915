using System.Text;
using CloudAge.Workflows.Drift;
using CloudAge.Workflows.Yaml;

namespace CloudAge.Workflows;

public enum DriftKind
{
    /// <summary>The attributes generate the file but it is not committed.</summary>
    Missing,
    /// <summary>The committed file differs from what the attributes generate (edited by hand or stale).</summary>
    Modified,
    /// <summary>A committed file carries the auto-generated header but no attribute generates it any more.</summary>
    ExtraGenerated,
}

/// <summary>One committed workflow file that does not match the attributes, with a unified diff (committed -> generated).</summary>
public sealed record WorkflowDriftFinding(string RelativePath, DriftKind Kind, string Diff);

/// <summary>
/// Compares the committed workflow files with what the attributes generate, without writing anything.
/// Line ends are compared as LF, so a Windows checkout with autocrlf is not reported as drift.
/// </summary>
public static class WorkflowDrift
{
    public static IReadOnlyList<WorkflowDriftFinding> Check(string root, IReadOnlyList<GeneratedFile> generatedFiles)
    {
        ArgumentNullException.ThrowIfNull(generatedFiles);
        var findings = new List<WorkflowDriftFinding>();
        foreach (var file in generatedFiles.OrderBy(f => f.RelativePath, StringComparer.Ordinal))
        {
            var path = Path.Combine(root, file.RelativePath);
            if (!File.Exists(path))
            {
                findings.Add(new(file.RelativePath, DriftKind.Missing, UnifiedDiff.Create("", file.Content, "/dev/null", file.RelativePath + " (generated)")));
                continue;
            }
            var committed = Normalize(File.ReadAllText(path));
            if (committed != file.Content)
                findings.Add(new(file.RelativePath, DriftKind.Modified, UnifiedDiff.Create(committed, file.Content, file.RelativePath + " (committed)", file.RelativePath + " (generated)")));
        }
        foreach (var stale in StaleGeneratedFiles(root, generatedFiles))
            findings.Add(new(stale, DriftKind.ExtraGenerated, UnifiedDiff.Create(Normalize(File.ReadAllText(Path.Combine(root, stale))), "", stale + " (committed)", "/dev/null")));
        return findings;
    }

    /// <summary>What to print when the check fails: each file, its kind and diff, then how to fix it.</summary>
    public static string Describe(IReadOnlyList<WorkflowDriftFinding> findings, string source = BuildSurface.DefaultSource)
    {
        ArgumentNullException.ThrowIfNull(findings);
        if (findings.Count == 0)
            return "The committed workflow files match the attributes.";
        var text = new StringBuilder($"{findings.Count} workflow file(s) differ from what {source} generates:\n");
        foreach (var finding in findings)
        {
            var what = finding.Kind switch
            {
                DriftKind.Missing => "not committed",
                DriftKind.Modified => "differs (edited by hand, or the attributes changed)",
                _ => "generated once but no attribute generates it any more",
            };
            text.Append($"\n{finding.RelativePath}: {what}\n{finding.Diff}");
        }
        return text.Append("\nRun ./build.sh GenerateWorkflows and commit the result; edit the attributes, never the YAML.").ToString();
    }

    internal static IEnumerable<string> StaleGeneratedFiles(string root, IReadOnlyList<GeneratedFile> generatedFiles)
    {
        var directory = Path.Combine(root, WorkflowGenerator.WorkflowDirectory);
        if (!Directory.Exists(directory))
            return [];
        var generated = generatedFiles.Select(f => f.RelativePath).ToHashSet(StringComparer.Ordinal);
        return Directory.EnumerateFiles(directory)
            .Where(f => f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".yaml", StringComparison.Ordinal))
            .Select(f => WorkflowGenerator.WorkflowDirectory + "/" + Path.GetFileName(f))
            .Where(f => !generated.Contains(f) && IsGenerated(Path.Combine(root, f)))
            .Order(StringComparer.Ordinal);
    }

    private static bool IsGenerated(string path)
    {
        using var reader = new StreamReader(path);
        return reader.ReadLine()?.TrimEnd('\r') == WorkflowNode.HeaderFirstLine;
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);
}
