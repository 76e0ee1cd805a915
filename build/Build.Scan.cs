using CloudAge.Build.Support;
using CloudAge.Engine;
using CloudAge.Tools.Aws.Ecr;
using CloudAge.Tools.Container.Scanning;

namespace CloudAge.Build;

public sealed partial class Build
{
    [Parameter("Vulnerability scanner: auto (Trivy if installed, else ECR's scan after push), trivy, ecr or none")]
    public ScannerChoice Scanner { get; init; } = ScannerChoice.Auto;

    [Parameter("Fail the scan gate on findings of this severity or higher: LOW, MEDIUM, HIGH or CRITICAL")]
    [Pattern("(?i:low|medium|high|critical)", "one of LOW, MEDIUM, HIGH or CRITICAL, such as HIGH")]
    public string FailOn { get; init; } = "HIGH";

    [Parameter("Skip the scan (with a warning) when the chosen scanner is not available, instead of failing")]
    public bool ScanOptional { get; init; }

    [Parameter("File of accepted scan findings (id, reason, expiry)")]
    public string AcceptedRisksFile { get; init; } = ".scan-ignore.yaml";

    [Parameter("How long to wait for ECR's scan to complete")]
    public TimeSpan ScanTimeout { get; init; } = TimeSpan.FromMinutes(10);

    Target Scan => _ => _
        .Description("Vulnerability gate before push: Trivy's findings in any platform's image at or above --fail-on fail the build; reports in artifacts/scan")
        .DependsOn(DockerBuild)
        .OnlyWhenDynamic(() => EffectiveScanner() == ScannerChoice.Trivy, "Trivy is not the chosen scanner (--scanner)")
        .Executes(async cancellationToken =>
        {
            // Every platform's image is pushed, so every one is scanned (only the primary carries the plain tags), and
            // gated together as ScanEcr gates the pushed manifests; Trivy's own report is kept per platform.
            var trivy = new TrivyScanner(Processes);
            var findings = new List<VulnerabilityFinding>();
            foreach (var platform in TargetPlatforms)
            {
                var scanned = await trivy.ScanAsync(PlatformImage(platform), ArtifactsDirectory / "scan" / $"trivy-{platform.Architecture}.json", cancellationToken);
                Log.Information($"Trivy: {scanned.Count} finding(s) in {PlatformImage(platform)}");
                findings.AddRange(scanned);
            }
            await Gate("trivy", string.Join(", ", TargetPlatforms.Select(PlatformImage)), findings.Distinct().ToList(), cancellationToken);
        });

    Target ScanEcr => _ => _
        .Description("Vulnerability gate after push: ECR's scan findings at or above --fail-on fail the build")
        .TriggeredBy(PushEcr)
        .OnlyWhenDynamic(() => EffectiveScanner() == ScannerChoice.Ecr, "ECR's scan is not the chosen scanner (--scanner)")
        .Executes(async cancellationToken =>
        {
            // What PushEcr pushed, read back from its artifact: ScanEcr may run in a later process than the push.
            var pushed = ImageArtifact.Read(ImageArtifactFile)
                ?? throw new InvalidOperationException($"ScanEcr needs {ImageArtifactFile.RelativeTo(RootDirectory)}, which PushEcr writes; run ./build.sh PushEcr (ScanEcr runs after it).");
            using var ecr = await ConnectEcr(cancellationToken);
            // ECR scans image manifests, not indexes: each platform's manifest is scanned, and gated together.
            var findings = new List<VulnerabilityFinding>();
            foreach (var digest in pushed.Platforms is { Count: > 0 } platforms ? platforms.Select(p => p.Digest) : [pushed.Digest])
            {
                var image = EcrImageId.ByDigest(digest);
                try
                {
                    await ecr.StartImageScanAsync(Repository, image, cancellationToken);
                }
                catch (EcrException e) when (e.Type is "LimitExceededException")
                {
                    Log.Information("ECR already scanned this image in the last 24 hours (or scan-on-push did); reading those findings.");
                }
                catch (EcrException e) when (e.Type is "ValidationException")
                {
                    // A manual scan is basic scanning's (ECR API reference, StartImageScan: "Starts a basic image vulnerability
                    // scan"; PutRegistryScanningConfiguration: "you can do manual scans of images with basic scanning"). A
                    // registry on enhanced scanning (Amazon Inspector) scans on push or continuously and refuses it with
                    // ValidationException "This feature is disabled" (alexjurkiewicz/ecr-scan-image#44); its findings come
                    // from DescribeImageScanFindings all the same (status ACTIVE, enhancedFindings).
                    Log.Information($"ECR refused a manual scan ({e.ServiceMessage}): the registry uses enhanced scanning (Amazon Inspector), which scans on its own; waiting for its findings.");
                }
                // The client says each status change once, with the repository, digest and ECR's description.
                var scan = await ecr.WaitForScanAsync(Repository, image, ScanTimeout, cancellationToken: cancellationToken);
                findings.AddRange(scan.Findings.Select(f => new VulnerabilityFinding(f.Name, f.PackageName ?? "?", f.PackageVersion ?? "?", VulnerabilitySeverities.Parse(f.Severity), f.FixedInVersion, f.Description)));
            }
            await Gate("ecr", pushed.Reference(pushed.Tags[0]), findings.Distinct().ToList(), cancellationToken);
        });

    ScannerChoice? _scanner;

    // Decided once per run: Scan (before push) and ScanEcr (after push) both ask.
    ScannerChoice EffectiveScanner() => _scanner ??= ChooseScanner();

    ScannerChoice ChooseScanner()
    {
        if (Scanner != ScannerChoice.Auto)
            return Scanner;
        if (new TrivyScanner(Processes).IsAvailableAsync().GetAwaiter().GetResult())
            return ScannerChoice.Trivy;
        if (RegistryIsEcr)
            return ScannerChoice.Ecr;
        if (ScanOptional)
        {
            Log.Warning("No scanner: Trivy is not installed and the registry is not ECR; skipping the scan because --scan-optional was given.");
            return ScannerChoice.None;
        }
        throw new InvalidOperationException("No vulnerability scanner is available: install Trivy (https://trivy.dev), push to ECR (scan on push), or pass --scanner none or --scan-optional to go on without a scan.");
    }

    async Task Gate(string scanner, string image, List<VulnerabilityFinding> findings, CancellationToken cancellationToken)
    {
        var risks = AcceptedRisks.Load(AcceptedRisksPath(), $"{AcceptedRisksFile} ({ParameterSourceOf(nameof(AcceptedRisksFile))})");
        var gate = ScanGate.Evaluate(findings, VulnerabilitySeverities.ParseThreshold(FailOn), risks, DateOnly.FromDateTime(DateTime.UtcNow)) with { AcceptedRisksFile = AcceptedRisksFile };
        if (findings.Count > 0)
            Log.Information(ScanReport.RenderTable(findings));
        await ScanReport.WriteAsync(ArtifactsDirectory / "scan" / $"{scanner}-report.json", image, scanner, gate, findings, cancellationToken);
        Log.Information(gate.Summary);
        // Shown in the step summary next to the image and its digest.
        SetOutput("scan-result", $"{scanner}: {gate.Summary}");
        if (!gate.Passed)
            throw new InvalidOperationException(gate.Summary);
    }

    // No file at the default path means no accepted risks; a file the user named that is not there is a mistake in the
    // name, which would otherwise fail the gate on the very findings the file was meant to accept.
    AbsolutePath AcceptedRisksPath()
    {
        var path = RootDirectory / AcceptedRisksFile;
        if (!File.Exists(path) && (Directory.Exists(path) || ParameterSourceOf(nameof(AcceptedRisksFile)).Origin != ParameterOrigin.Default))
            throw new UsageException($"{ParameterSourceOf(nameof(AcceptedRisksFile))} {AcceptedRisksFile}: {(Directory.Exists(path) ? "is a folder, not a file" : "no such file")}; " +
                "give the YAML file of accepted findings relative to the repository root, such as --accepted-risks-file .scan-ignore.yaml.");
        return path;
    }
}

public enum ScannerChoice
{
    Auto,
    Trivy,
    Ecr,
    None,
}
