namespace CloudAge.Tools.Container.Scanning;

/// <summary>Vulnerability severities in ascending order, as Trivy and ECR name them.</summary>
public enum Severity { Unknown, Low, Medium, High, Critical }

/// <summary>One vulnerability in one package of the image, whichever scanner found it.</summary>
/// <param name="Id">CVE or advisory id, for example <c>CVE-2024-12345</c>.</param>
/// <param name="FixedVersion">The version that fixes it, or null when there is no fix yet.</param>
public sealed record Finding(string Id, string Package, string InstalledVersion, Severity Severity, string? FixedVersion, string? Title);

public static class Severities
{
    /// <summary>Parses a scanner's or user's severity name; ECR's INFORMATIONAL and UNDEFINED count as Unknown.</summary>
    public static Severity Parse(string? name) => name?.Trim().ToUpperInvariant() switch
    {
        "LOW" => Severity.Low,
        "MEDIUM" => Severity.Medium,
        "HIGH" => Severity.High,
        "CRITICAL" => Severity.Critical,
        _ => Severity.Unknown,
    };

    /// <summary>Parses a threshold given by the user (<c>--fail-on HIGH</c>), refusing anything that is not a severity.</summary>
    public static Severity ParseThreshold(string name) =>
        Enum.TryParse<Severity>(name, ignoreCase: true, out var severity) && Enum.IsDefined(severity) && !int.TryParse(name, out _)
            ? severity
            : throw new ArgumentException($"'{name}' is not a severity; use one of UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL.", nameof(name));

    public static string Name(this Severity severity) => severity.ToString().ToUpperInvariant();
}
