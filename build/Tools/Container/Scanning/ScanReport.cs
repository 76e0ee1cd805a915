using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CloudAge.Common.IO;
using CloudAge.Common.Text;

namespace CloudAge.Tools.Container.Scanning;

/// <summary>The findings table for the log and the full JSON report for <c>artifacts/</c>.</summary>
public static class ScanReport
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper) },
    };

    /// <summary>Plain-text columns ID, PACKAGE, INSTALLED, SEVERITY, FIXED IN, most severe first; one line per finding.</summary>
    public static string RenderTable(IEnumerable<VulnerabilityFinding> findings)
    {
        // Package names, versions and secret file paths come from the image: a newline, carriage return or escape
        // sequence in one would split its row, start a line of its own (on GitHub Actions one starting with '::') or
        // rewrite the terminal's line, so each cell is printed as one line with its control characters escaped.
        var rows = findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Id, StringComparer.Ordinal).ThenBy(f => f.Package, StringComparer.Ordinal)
            .Select(f => new[] { f.Id, f.Package, f.InstalledVersion, f.Severity.Name(), f.FixedVersion ?? "(no fix)" }.Select(Cell).ToArray()).ToList();
        if (rows.Count == 0)
            return "No findings." + Environment.NewLine;
        string[] header = ["ID", "PACKAGE", "INSTALLED", "SEVERITY", "FIXED IN"];
        var widths = header.Select((h, i) => rows.Max(r => r[i].Length) is var w && w > h.Length ? w : h.Length).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows.Prepend(header))
            text.AppendLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        return text.ToString();
    }

    internal static string Cell(string text) => PeerText.OneLine(text, 200);

    /// <summary>Writes image, scanner, gate verdict and every finding as JSON, atomically (temp file, then move).</summary>
    public static async Task WriteAsync(string path, string image, string scanner, GateResult gate, IReadOnlyList<VulnerabilityFinding> findings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(gate);
        var report = new
        {
            image,
            scanner,
            threshold = gate.Threshold,
            passed = gate.Passed,
            summary = gate.Summary,
            blocking = gate.Blocking,
            accepted = gate.Accepted,
            expiredRisks = gate.ExpiredRisks,
            findings,
        };
        await AtomicFile.WriteAsync(path, JsonSerializer.Serialize(report, Json), cancellationToken).ConfigureAwait(false);
    }
}
