namespace CloudAge.Tools.Container.Scanning;

/// <summary>The gate's verdict and the findings behind it.</summary>
/// <param name="Blocking">Findings at or above the threshold that no valid accepted risk covers.</param>
/// <param name="Accepted">Findings covered by an unexpired accepted risk.</param>
/// <param name="ExpiredRisks">Accepted risks past their expiry; any of them fails the gate.</param>
public sealed record GateResult(VulnerabilitySeverity Threshold, IReadOnlyList<VulnerabilityFinding> Blocking, IReadOnlyList<VulnerabilityFinding> Accepted, IReadOnlyList<AcceptedRisk> ExpiredRisks)
{
    public bool Passed => Blocking.Count == 0 && ExpiredRisks.Count == 0;

    /// <summary>How the summary names the accepted-risks file, such as <c>.scan-ignore.yaml</c>.</summary>
    public string AcceptedRisksFile { get; init; } = "the accepted-risks file";

    /// <summary>One sentence for the build log saying what passed or failed and what to do.</summary>
    public string Summary
    {
        get
        {
            var parts = new List<string>();
            if (Blocking.Count > 0)
                parts.Add($"{Blocking.Count} finding(s) at or above {Threshold.Name()} ({string.Join(", ", Blocking.Select(f => ScanReport.Cell(f.Id)).Distinct().Take(10))}); " +
                          $"upgrade the packages (a secret: take it out of the image and rotate it), or accept each risk with a reason and an expiry in {AcceptedRisksFile}");
            if (ExpiredRisks.Count > 0)
                parts.Add($"accepted risk(s) expired: {string.Join(", ", ExpiredRisks.Select(r => $"{r.Id} (expired {r.Expires:yyyy-MM-dd})"))}; review them and renew or remove the entries in {AcceptedRisksFile}");
            return parts.Count == 0
                ? $"Scan gate passed: no finding at or above {Threshold.Name()} ({Accepted.Count} accepted)."
                : "Scan gate failed: " + string.Join("; ", parts) + ".";
        }
    }
}

/// <summary>The vulnerability gate: fails on findings at or above a severity unless an unexpired accepted risk covers them.</summary>
public static class ScanGate
{
    /// <param name="today">The date to judge expiry by (an entry is valid through its expiry day).</param>
    public static GateResult Evaluate(IEnumerable<VulnerabilityFinding> findings, VulnerabilitySeverity threshold, IEnumerable<AcceptedRisk> acceptedRisks, DateOnly today)
    {
        var risks = acceptedRisks.ToList();
        var expired = risks.Where(r => r.Expires < today).ToList();
        var valid = risks.Where(r => r.Expires >= today).Select(r => r.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var blocking = new List<VulnerabilityFinding>();
        var accepted = new List<VulnerabilityFinding>();
        foreach (var finding in findings)
        {
            if (valid.Contains(finding.Id))
                accepted.Add(finding);
            else if (finding.Severity >= threshold)
                blocking.Add(finding);
        }
        return new GateResult(threshold, blocking, accepted, expired);
    }
}
