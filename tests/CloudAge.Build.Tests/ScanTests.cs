using System.Runtime.InteropServices;
using CloudAge.Build.Tests.Fixtures;

namespace CloudAge.Build.Tests;

/// <summary>
/// The Trivy gate before push, run by the build program in its own process with a stand-in <c>trivy</c> first on its
/// PATH (the real one needs its vulnerability database from the network): which images it scans, what fails the gate
/// and where the reports go. DockerBuild and what it depends on are skipped: the stand-in reads no image, it answers by
/// the image's name.
/// </summary>
public sealed class ScanTests : IDisposable
{
    private readonly GateRepository _repository = new(Prerequisites.RepositoryRoot());
    private readonly TempDirectory _bin = new();

    private string ScannedLog => Path.Combine(_bin.Path, "scanned.txt");

    /// <summary>
    /// Writes a trivy that records each image it is asked to scan and reports one CRITICAL finding in images whose name
    /// ends with <paramref name="vulnerableSuffix"/> (Trivy's JSON report, schema version 2), none in others.
    /// </summary>
    private void FakeTrivy(string vulnerableSuffix)
    {
        var script = Path.Combine(_bin.Path, "trivy");
        File.WriteAllText(script, $$"""
            #!/bin/sh
            # trivy image --format json --output FILE --quiet --timeout 15m IMAGE
            echo "$*" >> '{{ScannedLog}}.arguments'
            out=""; image=""
            while [ $# -gt 0 ]; do
              case "$1" in
                --output) out="$2"; shift 2 ;;
                --timeout) shift 2 ;;
                *) image="$1"; shift ;;
              esac
            done
            echo "$image" >> '{{ScannedLog}}'
            # Trivy reads .trivyignore and trivy.yaml from its working directory unless told otherwise (pkg/flag/report_flags.go
            # IgnoreFileFlag, default result.DefaultIgnoreFile; pkg/flag/global_flags.go ConfigFileFlag, default trivy.yaml),
            # and leaves out every finding an ignore file lists (pkg/result/filter.go).
            if grep -qs CVE-2099-0001 .trivyignore || grep -qs CVE-2099-0001 trivy.yaml; then
              echo '{"SchemaVersion":2,"Results":[]}' > "$out"; exit 0
            fi
            case "$image" in
              *{{vulnerableSuffix}})
                echo '{"SchemaVersion":2,"Results":[{"Target":"app","Vulnerabilities":[{"VulnerabilityID":"CVE-2099-0001","PkgName":"libdemo","InstalledVersion":"1.0","FixedVersion":"1.1","Severity":"CRITICAL","Title":"demo"}]}]}' > "$out" ;;
              *)
                echo '{"SchemaVersion":2,"Results":[]}' > "$out" ;;
            esac
            """.Replace("\r\n", "\n", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>
    /// Writes a trivy that fails as Trivy does when neither of its database repositories answers: the FATAL line of
    /// cmd/trivy/main.go (log.Fatal, formatted by pkg/log/handler.go) with the error chain of pkg/commands/artifact/run.go,
    /// pkg/commands/operation/operation.go, pkg/db/db.go and pkg/oci/artifact.go, and exit code 1.
    /// </summary>
    private void TrivyWithoutItsDatabase()
    {
        var script = Path.Combine(_bin.Path, "trivy");
        File.WriteAllText(script, """
            #!/bin/sh
            printf '2026-12-02T10:00:00Z\tFATAL\tFatal error\trun error: init error: DB error: failed to download vulnerability DB: OCI artifact error: failed to download vulnerability DB: failed to download artifact from any source: 2 errors occurred:\n\t* failed to download artifact from mirror.gcr.io/aquasec/trivy-db:2: OCI repository error: dial tcp: lookup mirror.gcr.io: no such host\n\t* failed to download artifact from ghcr.io/aquasecurity/trivy-db:2: OCI repository error: dial tcp: lookup ghcr.io: no such host\n\n' >&2
            exit 1
            """.Replace("\r\n", "\n", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private (int ExitCode, string Output) Scan(params string[] platforms) => Scan(platforms, []);

    private (int ExitCode, string Output) Scan(string[] platforms, string[] arguments) =>
        ProcessHelper.Run("dotnet", string.Join(' ', [BuildProgram.Dll(), "Scan", "--root", _repository.Root, "--no-logo",
            "--skip", "Restore Compile Publish DockerBuild", "--scanner", "trivy", "--platforms", string.Join(',', platforms), .. arguments]), _repository.Root, new Dictionary<string, string>
        {
            ["PATH"] = _bin.Path + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            ["NO_COLOR"] = "1",
        });

    [Fact]
    public void With_two_platforms_both_images_are_scanned_and_a_finding_in_the_non_primary_one_fails_the_gate()
    {
        // The primary platform (the one with the plain sha-<7 hex> tag) is the host's; the finding is in the other one.
        var other = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "amd64" : "arm64";
        FakeTrivy("-" + other);

        var (exitCode, output) = Scan("linux/amd64", "linux/arm64");

        Assert.True(File.Exists(ScannedLog), output);
        var scanned = File.ReadAllLines(ScannedLog);
        Assert.Equal(2, scanned.Length);
        Assert.Single(scanned, image => System.Text.RegularExpressions.Regex.IsMatch(image, @"^cloudage:sha-[0-9a-f]{7}-amd64$"));
        Assert.Single(scanned, image => System.Text.RegularExpressions.Regex.IsMatch(image, @"^cloudage:sha-[0-9a-f]{7}-arm64$"));
        Assert.True(exitCode == 1, output);
        Assert.Matches(@"(?m)^Scan\s+Failed", output);
        Assert.Contains("Scan gate failed: 1 finding(s) at or above HIGH (CVE-2099-0001)", output);
        // The failure says once what to do, naming the accepted-risks file the run reads.
        var failure = Assert.Single(output.Split('\n'), l => l.StartsWith("Target 'Scan' failed: ", StringComparison.Ordinal));
        Assert.EndsWith("or accept each risk with a reason and an expiry in .scan-ignore.yaml.", failure.TrimEnd());
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(failure, "rotate it"));
        var scan = Path.Combine(_repository.Root, "artifacts", "scan");
        Assert.Contains("CVE-2099-0001", File.ReadAllText(Path.Combine(scan, $"trivy-{other}.json")));
        Assert.DoesNotContain("CVE-2099-0001", File.ReadAllText(Path.Combine(scan, $"trivy-{(other == "arm64" ? "amd64" : "arm64")}.json")));
        Assert.Contains("CVE-2099-0001", File.ReadAllText(Path.Combine(scan, "trivy-report.json")));
        // Trivy's own --timeout is 5 minutes unless given (pkg/flag/global_flags.go); the scan is allowed 15.
        Assert.All(File.ReadAllLines(ScannedLog + ".arguments"), arguments => Assert.Contains(" --timeout 15m ", arguments));
    }

    [Fact]
    public void A_trivyignore_in_the_repository_does_not_hide_findings_from_the_gate()
    {
        // Risks are accepted in .scan-ignore.yaml, each with a reason and an expiry; a .trivyignore (or trivy.yaml) in the
        // folder Trivy runs in would drop findings before the gate saw them, with neither.
        FakeTrivy("-amd64");
        File.WriteAllText(Path.Combine(_repository.Root, ".trivyignore"), "CVE-2099-0001\n");
        File.WriteAllText(Path.Combine(_repository.Root, "trivy.yaml"), "vulnerability:\n  ignore: [CVE-2099-0001]\n");

        var (exitCode, output) = Scan("linux/amd64");

        Assert.True(exitCode == 1, output);
        Assert.Contains("Scan gate failed: 1 finding(s) at or above HIGH (CVE-2099-0001)", output);
    }

    [Fact]
    public void A_malformed_accepted_risks_file_is_exit_2_naming_the_file_the_line_and_the_key()
    {
        FakeTrivy("-amd64");
        File.WriteAllText(Path.Combine(_repository.Root, ".scan-ignore.yaml"), "accepted:\n  - id: CVE-2099-0001\n    reason: not reachable\n");

        var (exitCode, output) = Scan("linux/amd64");

        Assert.True(exitCode == 2, output);
        Assert.Contains(".scan-ignore.yaml (--accepted-risks-file) line 2: 'CVE-2099-0001' has no 'expires' date", output);
        Assert.Contains("'expires: 2026-12-31'", output);
    }

    [Fact]
    public void An_accepted_risks_file_given_by_flag_that_is_not_there_is_exit_2()
    {
        FakeTrivy("-amd64");

        var (exitCode, output) = Scan(["linux/amd64"], ["--accepted-risks-file", "security/risks.yaml"]);

        Assert.True(exitCode == 2, output);
        Assert.Contains("--accepted-risks-file security/risks.yaml: no such file", output);
    }

    [Fact]
    public void When_Trivy_cannot_download_its_database_the_failure_says_so_and_what_to_do()
    {
        TrivyWithoutItsDatabase();

        var (exitCode, output) = Scan("linux/amd64");

        Assert.True(exitCode == 1, output);
        Assert.Matches(@"Target 'Scan' failed: Trivy could not download its vulnerability database to scan cloudage:sha-[0-9a-f]{7}-amd64: run error: init error: DB error: failed to download vulnerability DB", output);
        Assert.Contains("lookup ghcr.io: no such host", output);
        Assert.Contains("Let the runner reach mirror.gcr.io and ghcr.io (where Trivy pulls it from), set TRIVY_DB_REPOSITORY", output);
    }

    public void Dispose()
    {
        _bin.Dispose();
        _repository.Dispose();
    }
}
