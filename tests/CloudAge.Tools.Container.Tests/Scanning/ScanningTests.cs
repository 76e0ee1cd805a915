using System.Text.Json;
using CloudAge.Common.Processes;
using CloudAge.Common.Secrets;
using CloudAge.Tools.Container.Scanning;
using CloudAge.Tools.Container.Tests.Fixtures;

namespace CloudAge.Tools.Container.Tests.Scanning;

public class ScanningTests
{
    private static readonly DateOnly Today = new(2026, 11, 26);

    private static IReadOnlyList<VulnerabilityFinding> Report() =>
        TrivyReport.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "trivy-report.json")));

    [Fact]
    public void Trivy_report_yields_every_vulnerability_of_every_result()
    {
        var findings = Report();

        Assert.Equal(["CVE-2024-45490", "CVE-2023-50495", "CVE-2011-3374", "GHSA-7jgj-8wvc-jh57", "CVE-2099-0001"], findings.Select(f => f.Id));
        Assert.Equal(new VulnerabilityFinding("CVE-2024-45490", "libexpat1", "2.5.0-1", VulnerabilitySeverity.Critical, "2.5.0-1+deb12u1",
            "libexpat: Negative Length Parsing Vulnerability in libexpat"), findings[0]);
        Assert.Null(findings[1].FixedVersion);
        Assert.Equal(VulnerabilitySeverity.Unknown, findings[4].Severity);
    }

    [Fact]
    public void Secrets_trivy_finds_by_default_are_findings_of_the_gate_without_their_text()
    {
        // Trivy's image scan looks for secrets by default (scanners vuln,secret) and its own exit code counts them
        // (pkg/types/report.go: Results.Failed). The report is shaped as report.go marshals Result.Secrets, each a
        // DetectedSecret (pkg/fanal/types/secret.go: RuleID, Category, Severity, Title, StartLine, Code, Match, Layer),
        // as in integration/testdata/secrets.json.golden; Code's context lines are not masked there.
        var findings = TrivyReport.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "trivy-report-secrets.json")));

        Assert.Equal([
            new VulnerabilityFinding("aws-access-key-id", "app/deploy.sh:3", "", VulnerabilitySeverity.Critical, null, "AWS Access Key ID"),
            new VulnerabilityFinding("private-key", "app/deploy.sh:1", "", VulnerabilitySeverity.High, null, "Asymmetric Private Key"),
        ], findings);
        var gate = ScanGate.Evaluate(findings, VulnerabilitySeverity.High, [], Today);
        Assert.Equal(["aws-access-key-id", "private-key"], gate.Blocking.Select(f => f.Id));
        Assert.Contains("a secret: take it out of the image and rotate it", gate.Summary, StringComparison.Ordinal);
        var table = ScanReport.RenderTable(findings);
        Assert.DoesNotContain("*****", table, StringComparison.Ordinal);
        Assert.DoesNotContain("not-a-real-password", table, StringComparison.Ordinal);
    }

    [Fact]
    public void A_report_that_is_not_Trivy_json_is_a_clear_error()
    {
        Assert.Contains("not JSON", Assert.Throws<ContainerException>(() => TrivyReport.Parse("<html>")).Message);
        Assert.Contains("no 'Results'", Assert.Throws<ContainerException>(() => TrivyReport.Parse("""{"foo":1}""")).Message);
        Assert.Empty(TrivyReport.Parse("""{"SchemaVersion":2,"ArtifactName":"x"}"""));
    }

    [Fact]
    public void Gate_at_HIGH_fails_on_high_and_critical_only()
    {
        var gate = ScanGate.Evaluate(Report(), VulnerabilitySeverities.ParseThreshold("high"), [], Today);

        Assert.False(gate.Passed);
        Assert.Equal(["CVE-2024-45490", "GHSA-7jgj-8wvc-jh57"], gate.Blocking.Select(f => f.Id));
        Assert.Contains("2 finding(s) at or above HIGH", gate.Summary);
    }

    [Fact]
    public void Gate_passes_when_every_blocking_finding_is_an_accepted_risk()
    {
        var risks = AcceptedRisks.Parse("""
            accepted:
              - id: CVE-2024-45490
                reason: expat is only used on trusted configuration files
                expires: 2026-12-31
              - id: ghsa-7jgj-8wvc-jh57
                reason: fixed in the next release
                expires: 2026-11-26
            """);

        var gate = ScanGate.Evaluate(Report(), VulnerabilitySeverity.High, risks, Today);

        Assert.True(gate.Passed, gate.Summary);
        Assert.Equal(2, gate.Accepted.Count);
    }

    [Fact]
    public void An_expired_accepted_risk_fails_the_gate_naming_it()
    {
        var risks = AcceptedRisks.Parse("""
            accepted:
              - id: CVE-2011-3374
                reason: apt is not run at runtime
                expires: 2026-11-25
            """);

        var gate = ScanGate.Evaluate(Report(), VulnerabilitySeverity.Critical, risks.Concat([new AcceptedRisk("CVE-2024-45490", "r", new DateOnly(2027, 1, 1))]), Today);

        Assert.False(gate.Passed);
        Assert.Empty(gate.Blocking);
        Assert.Contains("CVE-2011-3374 (expired 2026-11-25)", gate.Summary);
    }

    [Theory]
    [InlineData("accepted:\n  - id: CVE-1\n    expires: 2027-01-01\n", "line 2: 'CVE-1' has no 'reason'")]
    [InlineData("accepted:\n  - id: CVE-1\n    reason: because\n", "line 2: 'CVE-1' has no 'expires' date; accepted risks must be reviewed, so give one such as 'expires: 2026-12-31'")]
    [InlineData("accepted:\n  - id: CVE-1\n    reason: because\n    expires: soon\n", "line 2: 'CVE-1' expires 'soon', which is not a date (YYYY-MM-DD); give one such as 'expires: 2026-12-31'")]
    [InlineData("accepted:\n  - reason: because\n", "line 2: an entry has no 'id'")]
    [InlineData("ignore: [CVE-1]\n", "top-level 'accepted:'")]
    [InlineData("accepted: CVE-1\n", "line 1: 'accepted' must be a list of entries")]
    [InlineData("accepted: [\n", "not valid YAML")]
    public void An_incomplete_accepted_risk_is_bad_input_naming_the_file_the_line_and_the_key(string text, string message)
    {
        // A bad value in a file the user owns, as a bad flag is: exit 2 (InputException), never a failed run.
        var error = Assert.Throws<CloudAge.Common.Errors.InputException>(() => AcceptedRisks.Parse(text, ".scan-ignore.yaml (--accepted-risks-file)"));

        Assert.StartsWith(".scan-ignore.yaml (--accepted-risks-file)", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Accepted_risks_can_be_written_as_json_and_a_missing_file_means_none()
    {
        var risks = AcceptedRisks.Parse("""{"accepted":[{"id":"CVE-1","reason":"r","expires":"2027-01-01"}]}""");

        Assert.Equal([new AcceptedRisk("CVE-1", "r", new DateOnly(2027, 1, 1))], risks);
        Assert.Empty(AcceptedRisks.Load("/nonexistent/" + Guid.NewGuid()));
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("3")]
    public void An_unknown_threshold_is_refused(string name) =>
        Assert.Contains("UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL", Assert.Throws<ArgumentException>(() => VulnerabilitySeverities.ParseThreshold(name)).Message);

    [Fact]
    public void Table_lists_most_severe_first_in_aligned_columns()
    {
        var table = ScanReport.RenderTable(Report()).Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("ID                   PACKAGE           INSTALLED  SEVERITY  FIXED IN", table[0]);
        Assert.Equal("CVE-2024-45490       libexpat1         2.5.0-1    CRITICAL  2.5.0-1+deb12u1", table[1]);
        Assert.Equal("GHSA-7jgj-8wvc-jh57  System.Text.Json  8.0.0      HIGH      8.0.4", table[2]);
        Assert.Equal("CVE-2099-0001        Mystery.Package   1.0.0      UNKNOWN   (no fix)", table[^1]);
        Assert.Equal("No findings." + Environment.NewLine, ScanReport.RenderTable([]));
    }

    [Fact]
    public void Text_from_the_image_keeps_each_finding_on_one_line_and_starts_no_line_of_its_own()
    {
        // Package names, versions and secret file paths are read from the image: a hostile package.json or file name can
        // hold line breaks, a would-be workflow command (FACTS section 7) or a terminal escape that rewrites the line.
        VulnerabilityFinding[] findings =
        [
            new("CVE-2099-0001", "evil\n::add-mask::hidden\r\u001b[2K", "1.0\r::warning::v", VulnerabilitySeverity.Critical, "1.1", "t"),
            new("aws-access-key-id\n::error::x", "app/x\n::notice::y:1", "", VulnerabilitySeverity.High, null, "t"),
        ];

        var lines = ScanReport.RenderTable(findings).Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        var summary = ScanGate.Evaluate(findings, VulnerabilitySeverity.High, [], Today).Summary;

        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^CVE-2099-0001 +evil\\n::add-mask::hidden\\r\\u001b\[2K +1\.0\\r::warning::v +CRITICAL +1\.1$", lines[1]);
        Assert.All(lines, line => Assert.DoesNotContain('\u001b', line));
        Assert.DoesNotContain('\n', summary);
        Assert.Contains("(CVE-2099-0001, aws-access-key-id\\n::error::x)", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_is_written_whole_with_the_verdict_and_leaves_no_temp_file()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "artifacts", "scan-report.json");
        var findings = Report();
        var gate = ScanGate.Evaluate(findings, VulnerabilitySeverity.High, [], Today);

        await ScanReport.WriteAsync(path, "repo:tag", "trivy", gate, findings);

        using var json = JsonDocument.Parse(File.ReadAllText(path));
        Assert.False(json.RootElement.GetProperty("passed").GetBoolean());
        Assert.Equal("HIGH", json.RootElement.GetProperty("threshold").GetString());
        Assert.Equal(5, json.RootElement.GetProperty("findings").GetArrayLength());
        Assert.Equal("CRITICAL", json.RootElement.GetProperty("blocking")[0].GetProperty("severity").GetString());
        Assert.Equal(["scan-report.json"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Trivy_is_reported_missing_when_it_is_not_installed()
    {
        // Trivy is not installed on this machine (ENVIRONMENT.md); where it is, this checks the other branch.
        var runner = new ProcessRunner(new SecretMasker(), _ => { });
        var scanner = new TrivyScanner(runner);
        var installed = await scanner.IsAvailableAsync();
        if (installed)
            return;

        var error = await Assert.ThrowsAsync<ContainerException>(() => scanner.ScanAsync("img:tag", Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".json")));

        Assert.Contains("Trivy is not installed", error.Message);
    }
}
