using CloudAge.Build.Support;
using CloudAge.Engine;
using CloudAge.Tools.Aws.Ecr;
using CloudAge.Tools.Container.Building;
using CloudAge.Tools.Container.Pushing;
using CloudAge.Tools.Container.Registry;

namespace CloudAge.Build;

public sealed partial class Build
{
    [Parameter("Registry as host[:port]; default: the ECR registry of the AWS account (from GetAuthorizationToken)")]
    public string? Registry { get; init; }

    [Parameter("Repository name in the registry")]
    public string EcrRepository { get; init; } = "cloudage";

    [Parameter("Tag mutability of a repository PushEcr creates; on IMMUTABLE an existing tag must keep its digest")]
    public EcrTagMutability TagMutability { get; init; } = EcrTagMutability.Mutable;

    [Parameter("User name for a non-ECR registry with basic auth")]
    public string? RegistryUsername { get; init; }

    [Parameter("Password for a non-ECR registry with basic auth"), Secret]
    public string? RegistryPassword { get; init; }

    AbsolutePath ImageArtifactFile => ArtifactsDirectory / "image.json";

    // An ECR API endpoint override (emulator, VPC endpoint) means ECR even when the registry host is given explicitly.
    bool PushesToEcr => Registry is null || EcrRegistryHost.IsEcr(Registry) || EcrEndpoint is not null;

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
            new ImageArtifact(result.ImageUri, result.Digest, result.Tags, result.SkippedTags, CommitSha, ImageTagSet.Version).Write(ImageArtifactFile);
            SetOutput("image-uri", result.ImageUri);
            SetOutput("image-digest", result.Digest);
            SetOutput("image-tag", ShaTag);
            SetOutput("image-tags", string.Join(' ', result.Tags));
        });

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
}
