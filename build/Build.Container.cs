using System.Text.Json;
using CloudAge.Build.Support;
using CloudAge.Engine;
using CloudAge.Engine.Output;
using CloudAge.Tools.Aws.Credentials;
using CloudAge.Tools.Aws.Ecr;
using CloudAge.Tools.Container.Building;
using CloudAge.Tools.Container.Pushing;
using CloudAge.Tools.Container.Registry;
using CloudAge.Tools.Container.Scanning;
using CloudAge.Tools.Container.Tags;

namespace CloudAge.Build;

public sealed partial class Build
{
    [Parameter("Registry as host[:port]; default: the ECR registry of the AWS account (from GetAuthorizationToken)")]
    public string? Registry { get; init; }

    [Parameter("Repository name in the registry")]
    public string EcrRepository { get; init; } = "cloudage";

    [Parameter("AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, then the profile)")]
    public string? AwsRegion { get; init; }

    [Parameter("ECR API endpoint override, for VPC endpoints and emulators (e.g. http://127.0.0.1:5001)")]
    public Uri? EcrEndpoint { get; init; }

    [Parameter("Tag mutability of a repository PushEcr creates; on IMMUTABLE an existing tag must keep its digest")]
    public EcrTagMutability TagMutability { get; init; } = EcrTagMutability.Mutable;

    [Parameter("User name for a non-ECR registry with basic auth")]
    public string? RegistryUsername { get; init; }

    [Parameter("Password for a non-ECR registry with basic auth"), Secret]
    public string? RegistryPassword { get; init; }

    [Parameter("Base image of the CloudAge image (default: the Dockerfile's, mcr.microsoft.com/dotnet/runtime-deps:10.0)")]
    public string? BaseImage { get; init; }

    [Parameter("Extra image tags besides sha-<7 hex>, the version and latest")]
    public string[] ExtraTags { get; init; } = [];

    [Parameter("Build the image without the engine's layer cache")]
    public bool NoCache { get; init; }

    [Parameter("Docker engine endpoint (default: unix:///var/run/docker.sock)")]
    public Uri? DockerHost { get; init; }

    [Parameter("Vulnerability scanner: auto (Trivy if installed, else ECR's scan after push), trivy, ecr or none")]
    public ScannerChoice Scanner { get; init; } = ScannerChoice.Auto;

    [Parameter("Fail the scan gate on findings of this severity or higher: LOW, MEDIUM, HIGH or CRITICAL")]
    public string FailOn { get; init; } = "HIGH";

    [Parameter("Skip the scan (with a warning) when the chosen scanner is not available, instead of failing")]
    public bool ScanOptional { get; init; }

    [Parameter("File of accepted scan findings (id, reason, expiry)")]
    public string AcceptedRisksFile { get; init; } = ".scan-ignore.yaml";

    [Parameter("How long to wait for ECR's scan to complete")]
    public TimeSpan ScanTimeout { get; init; } = TimeSpan.FromMinutes(10);

    ImageTagSet? _imageTags;
    ImageTagSet ImageTagSet => _imageTags ??= ImageTags.Compute(Git, ExtraTags);
    string ShaTag => ImageTagSet.Tags.First(t => t.StartsWith("sha-", StringComparison.Ordinal));
    string LocalImage => $"{EcrRepository}:{ShaTag}";
    Uri DockerEndpoint => DockerHost ?? DockerEngine.DefaultEndpoint;
    // An ECR API endpoint override (emulator, VPC endpoint) means ECR even when the registry host is given explicitly.
    bool PushesToEcr => Registry is null || EcrRegistryHost.IsEcr(Registry) || EcrEndpoint is not null;
    PushResult? _pushed;

    Target DockerBuild => _ => _
        .Description("Builds the CloudAge image from artifacts/publish/app through the Docker engine API, tagged sha-<7 hex>, version, latest")
        .DependsOn(Publish)
        .Executes(async cancellationToken =>
        {
            using var docker = DockerEngine.Connect(DockerEndpoint);
            await DockerEngine.EnsureRunningAsync(docker, DockerEndpoint, cancellationToken);
            var metadata = new ImageMetadata(AppVersion, CommitSha, SourceUrl, DateTimeOffset.UtcNow);
            var request = new ImageBuildRequest(ArtifactsDirectory / "publish" / "app", ImageTagSet.Tags.Select(t => $"{EcrRepository}:{t}").ToList(), metadata)
            {
                BaseImage = BaseImage,
                NoCache = NoCache,
            };
            var result = await new DockerBuilder(docker, DockerEndpoint, Log.Information).BuildAsync(request, cancellationToken);
            SetOutput("image-id", result.ImageId);
        });

    Target Scan => _ => _
        .Description("Vulnerability gate before push: Trivy's findings at or above --fail-on fail the build; report in artifacts/scan")
        .DependsOn(DockerBuild)
        .OnlyWhenDynamic(() => EffectiveScanner() == ScannerChoice.Trivy, "Trivy is not the chosen scanner (--scanner)")
        .Executes(async cancellationToken =>
        {
            var trivy = new TrivyScanner(Processes);
            var findings = await trivy.ScanAsync(LocalImage, ArtifactsDirectory / "scan" / "trivy.json", cancellationToken);
            await Gate("trivy", LocalImage, findings, cancellationToken);
        });

    Target PushEcr => _ => _
        .Description("Ensures the ECR repository, logs in, pushes every tag with retries, verifies the digest; writes artifacts/image.json")
        .DependsOn(Scan)
        .Executes(async cancellationToken =>
        {
            var (registry, credentials, immutable) = await RegistryLogin(cancellationToken);
            using var registryClient = new RegistryClient(registry, credentials, Secrets, Log.Information);
            using var docker = DockerEngine.Connect(DockerEndpoint);
            var pusher = new ImagePusher(docker, DockerEndpoint, registryClient, Secrets, Log.Information);
            var request = new PushRequest(LocalImage, registry, EcrRepository, ImageTagSet.Tags) { Credentials = credentials, ImmutableTags = immutable };
            var result = await PushProgress.Run(IsLocalBuild && EnvironmentVariables.ContainsKey("TERM"), progress => pusher.PushAsync(request, progress, cancellationToken));
            _pushed = result;
            var image = new
            {
                imageUri = result.ImageUri,
                digest = result.Digest,
                tags = result.Tags,
                skippedTags = result.SkippedTags,
                commit = CommitSha,
                version = ImageTagSet.Version,
            };
            AtomicFile.Write(ArtifactsDirectory / "image.json", JsonSerializer.Serialize(image, JsonOptions) + "\n");
            SetOutput("image-uri", result.ImageUri);
            SetOutput("image-digest", result.Digest);
            SetOutput("image-tag", ShaTag);
            SetOutput("image-tags", string.Join(' ', result.Tags));
        });

    Target ScanEcr => _ => _
        .Description("Vulnerability gate after push: ECR's scan findings at or above --fail-on fail the build")
        .TriggeredBy(PushEcr)
        .OnlyWhenDynamic(() => EffectiveScanner() == ScannerChoice.Ecr, "ECR's scan is not the chosen scanner (--scanner)")
        .Executes(async cancellationToken =>
        {
            using var ecr = await ConnectEcr(cancellationToken);
            var image = EcrImageId.ByDigest(_pushed!.Digest);
            try
            {
                await ecr.StartImageScanAsync(EcrRepository, image, cancellationToken);
            }
            catch (EcrException e) when (e.Type is "LimitExceededException")
            {
                Log.Information("ECR already scanned this image in the last 24 hours (or scan-on-push did); reading those findings.");
            }
            var scan = await ecr.WaitForScanAsync(EcrRepository, image, ScanTimeout, status => Log.Information($"ECR scan: {status.Status}"), cancellationToken);
            var findings = scan.Findings.Select(f => new Finding(f.Name, f.PackageName ?? "?", f.PackageVersion ?? "?", Severities.Parse(f.Severity), f.FixedInVersion, f.Description)).ToList();
            await Gate("ecr", _pushed.Reference(_pushed.Tags[0]), findings, cancellationToken);
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
        if (PushesToEcr)
            return ScannerChoice.Ecr;
        if (ScanOptional)
        {
            Log.Warning("No scanner: Trivy is not installed and the registry is not ECR; skipping the scan because --scan-optional was given.");
            return ScannerChoice.None;
        }
        throw new InvalidOperationException("No vulnerability scanner is available: install Trivy (https://trivy.dev), push to ECR (scan on push), or pass --scanner none or --scan-optional to go on without a scan.");
    }

    async Task Gate(string scanner, string image, IReadOnlyList<Finding> findings, CancellationToken cancellationToken)
    {
        var risks = AcceptedRisks.Load(RootDirectory / AcceptedRisksFile);
        var gate = ScanGate.Evaluate(findings, Severities.ParseThreshold(FailOn), risks, DateOnly.FromDateTime(DateTime.UtcNow));
        if (findings.Count > 0)
            Log.Information(ScanReport.RenderTable(findings));
        await ScanReport.WriteAsync(ArtifactsDirectory / "scan" / $"{scanner}-report.json", image, scanner, gate, findings, cancellationToken);
        Log.Information(gate.Summary);
        if (!gate.Passed)
            throw new InvalidOperationException(gate.Summary + $" Fix or upgrade the packages, or accept a finding with a reason and an expiry in {AcceptedRisksFile}.");
    }

    async Task<(string Registry, RegistryCredentials? Credentials, bool Immutable)> RegistryLogin(CancellationToken cancellationToken)
    {
        if (!PushesToEcr)
        {
            var basic = RegistryUsername is not null ? new RegistryCredentials(RegistryUsername, RegistryPassword ?? string.Empty) : null;
            return (Registry!, basic, TagMutability == EcrTagMutability.Immutable);
        }
        using var ecr = await ConnectEcr(cancellationToken);
        var repository = await ecr.EnsureRepositoryAsync(EcrRepository, TagMutability, scanOnPush: true, cancellationToken);
        var authorization = await ecr.GetAuthorizationTokenAsync(cancellationToken);
        var registry = Registry ?? authorization.ProxyEndpoint.Authority;
        Log.Information($"Logged in to {registry} as {authorization.UserName}; repository {repository.Name} is {repository.TagMutability}.");
        return (registry, new RegistryCredentials(authorization.UserName, authorization.Password), repository.TagMutability == EcrTagMutability.Immutable);
    }

    async Task<EcrClient> ConnectEcr(CancellationToken cancellationToken) =>
        new(await ResolveAws(cancellationToken), Secrets, Log.Information, new EcrClientOptions { Endpoint = EcrEndpoint });

    /// <summary>AWS credentials and region as AWS tools find them; the keys are added to the secrets on the way.</summary>
    Task<AwsSession> ResolveAws(CancellationToken cancellationToken) =>
        new AwsCredentialResolver(Secrets, Log.Information, name => EnvironmentVariables.GetValueOrDefault(name)).ResolveAsync(AwsRegion, cancellationToken);

    string SourceUrl => EnvironmentVariables.TryGetValue("GITHUB_REPOSITORY", out var repository)
        ? $"{EnvironmentVariables.GetValueOrDefault("GITHUB_SERVER_URL", "https://github.com")}/{repository}"
        : "https://github.com/your-org/cloudage";

    static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
}

public enum ScannerChoice
{
    Auto,
    Trivy,
    Ecr,
    None,
}
