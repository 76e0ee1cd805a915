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
    [Pattern(@"(\[[0-9A-Fa-f:]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)(:\d{1,5})?", "a registry host[:port] without scheme or path, such as 123456789012.dkr.ecr.us-east-1.amazonaws.com or localhost:5000")]
    public string? Registry { get; init; }

    [Parameter("Repository name in the registry")]
    [Pattern(@"(?=.{2,256}$)([a-z0-9]+([._-][a-z0-9]+)*/)*[a-z0-9]+([._-][a-z0-9]+)*", "a repository name in lower case, such as cloudage or team/cloudage")]
    public string EcrRepository { get; init; } = "cloudage";

    [Parameter("Tag mutability of a repository PushEcr creates; on IMMUTABLE an existing tag must keep its digest")]
    public EcrTagMutability TagMutability { get; init; } = EcrTagMutability.Mutable;

    [Parameter("User name for a non-ECR registry with basic auth")]
    public string? RegistryUsername { get; init; }

    [Parameter("Password for a non-ECR registry with basic auth"), Secret]
    public string? RegistryPassword { get; init; }

    AbsolutePath ImageArtifactFile => ArtifactsDirectory / "image.json";

    // An ECR API endpoint override (emulator, VPC endpoint) means ECR even when the registry host is given explicitly.
    bool PushesToEcr => Registry is null || EcrRegistryHost.IsEcr(Registry) || AwsApiEndpoint is not null;

    Target PushEcr => _ => _
        .Description("Ensures the ECR repository, logs in, pushes every platform and an OCI index under every tag, attaches SBOM and provenance; writes artifacts/image.json")
        .DependsOn(Scan)
        .Requires(() => PlatformsAreValid)
        .Executes(PushImage);

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
