using CloudAge.Testing;
using CloudAge.Workflows;

namespace CloudAge.Build.Tests.Fixtures;

/// <summary>The machine-checkable table of docs/github-secrets.md: one row per secret or variable.</summary>
public static class SecretsDoc
{
    public static string Path => System.IO.Path.Combine(Prerequisites.RepositoryRoot(), "docs", "github-secrets.md");

    public static IReadOnlyList<WorkflowReference> ReadTable(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var header = Array.FindIndex(lines, l => l.StartsWith("| Name | Kind | Where | Workflows |", StringComparison.Ordinal));
        Assert.True(header >= 0, "docs/github-secrets.md has no table whose header starts with '| Name | Kind | Where | Workflows |'.");
        return lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')).Select(ParseRow).ToList();
    }

    private static WorkflowReference ParseRow(string row)
    {
        var cells = row.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
        var kind = cells[1] switch
        {
            "secret" => ReferenceKind.Secret,
            "variable" => ReferenceKind.Variable,
            _ => throw new InvalidOperationException($"Kind '{cells[1]}' in row '{row}' is neither 'secret' nor 'variable'."),
        };
        return new WorkflowReference(cells[0].Trim('`'), kind, cells[3].Split(", ").ToList()) { Where = cells[2] };
    }

    public static string Describe(WorkflowReference r) => $"{r.Name} ({r.Kind.ToString().ToLowerInvariant()}; {r.Where}; {string.Join(", ", r.Workflows)})";
}
