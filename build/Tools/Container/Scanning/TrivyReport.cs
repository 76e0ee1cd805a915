using System.Text.Json;

namespace CloudAge.Tools.Container.Scanning;

/// <summary>
/// Reads Trivy's JSON report (<c>trivy image --format json</c>, schema version 2): <c>Results[].Vulnerabilities[]</c>, and
/// <c>Results[].Secrets[]</c>, which Trivy's image scan looks for by default and its own exit code counts as findings.
/// </summary>
public static class TrivyReport
{
    public static IReadOnlyList<VulnerabilityFinding> Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ContainerException($"The Trivy report is not JSON ({e.Message}); run trivy with '--format json'.", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("Results", out var results))
                return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("SchemaVersion", out _)
                    ? []
                    : throw new ContainerException("The Trivy report has no 'Results'; it is not a Trivy JSON report (schema version 2).");
            var findings = new List<VulnerabilityFinding>();
            foreach (var result in results.ValueKind == JsonValueKind.Array ? results.EnumerateArray() : default)
            {
                findings.AddRange(Secrets(result));
                if (!result.TryGetProperty("Vulnerabilities", out var vulnerabilities) || vulnerabilities.ValueKind != JsonValueKind.Array)
                    continue;
                foreach (var v in vulnerabilities.EnumerateArray())
                {
                    findings.Add(new VulnerabilityFinding(
                        Text(v, "VulnerabilityID") ?? "(no id)",
                        Text(v, "PkgName") ?? "(unknown package)",
                        Text(v, "InstalledVersion") ?? "",
                        VulnerabilitySeverities.Parse(Text(v, "Severity")),
                        Text(v, "FixedVersion") is { Length: > 0 } fixedIn ? fixedIn : null,
                        Text(v, "Title")));
                }
            }
            return findings;
        }
    }

    // A secret is named by its rule (the id .trivyignore takes too) and found at file:line. Its Match and Code are never
    // read: Trivy masks the secret in them, but not a neighbouring line that another rule did not match.
    private static IEnumerable<VulnerabilityFinding> Secrets(JsonElement result)
    {
        if (!result.TryGetProperty("Secrets", out var secrets) || secrets.ValueKind != JsonValueKind.Array)
            yield break;
        var file = Text(result, "Target") ?? "(unknown file)";
        foreach (var s in secrets.EnumerateArray())
        {
            var line = s.TryGetProperty("StartLine", out var start) && start.TryGetInt32(out var number) && number > 0 ? $":{number}" : "";
            yield return new VulnerabilityFinding(Text(s, "RuleID") ?? "(no rule id)", file + line, "", VulnerabilitySeverities.Parse(Text(s, "Severity")), null, Text(s, "Title"));
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
