using CloudAge.Build.Support;
using CloudAge.Engine;
using CloudAge.Tools.Aws.Ecr;
using CloudAge.Tools.Aws.Transport;
using CloudAge.Tools.Container.Building;
using CloudAge.Tools.Container.Pushing;
using CloudAge.Tools.Container.Registry;

namespace CloudAge.Build;

public sealed partial class Build
{
    [Parameter("Registry as host[:port]; default: the ECR registry of the AWS account (from GetAuthorizationToken)")]
    [Pattern(@"(\[[0-9A-Fa-f:]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)(:\d{1,5})?", "a registry host[:port] without scheme or path, such as 123456789012.dkr.ecr.us-east-1.amazonaws.com or localhost:5000")]
    public string? Registry { get; init; }

    // Named EcrRepository for users (flag, env var, parameters-file key) since before other registries were supported.
    [Parameter("Repository name in the registry (any registry, not only ECR)", Name = "EcrRepository")]
    [Pattern(@"(?=.{2,256}$)([a-z0-9]+([._-][a-z0-9]+)*/)*[a-z0-9]+([._-][a-z0-9]+)*", "a repository name in lower case, such as cloudage or team/cloudage")]
    public string Repository { get; init; } = "cloudage";

    [Parameter("Tag mutability: of a repository PushEcr creates on ECR; on other registries IMMUTABLE makes the push refuse to move an existing tag")]
    public TagMutability TagMutability { get; init; } = TagMutability.Mutable;

    [Parameter("User name for a non-ECR registry with basic auth")]
    public string? RegistryUsername { get; init; }

    [Parameter("Password for a non-ECR registry with basic auth"), Secret]
    public string? RegistryPassword { get; init; }

    AbsolutePath ImageArtifactFile => ArtifactsDirectory / "image.json";

    // An ECR endpoint override (--aws-endpoint or its alias --ecr-endpoint, AWS_ENDPOINT_URL_ECR or AWS_ENDPOINT_URL:
    // emulator, VPC endpoint) means ECR even when the registry host is given explicitly. One rule for every target that logs in to a registry.
    bool RegistryIsEcr => Registry is null || IsEcrRegistry(Registry);

    bool IsEcrRegistry(string host) => EcrRegistryHost.IsEcr(host) || AwsApiEndpointFor(ConfiguredEndpoint.Ecr) is not null;

    /// <summary>The one place that knows kinds of registry; everything after it sees a <see cref="RegistryLogin"/>.</summary>
    IRegistryProvider RegistryProvider() =>
        RegistryIsEcr ? new EcrRegistryProvider(ConnectEcr, Registry, Log.Information)
        : RegistryUsername is not null ? new BasicAuthRegistryProvider(Registry!, new RegistryCredentials(RegistryUsername, RegistryPassword ?? string.Empty))
        : new AnonymousRegistryProvider(Registry!);

    Target PushEcr => _ => _
        .Description("Ensures the ECR repository, logs in, pushes every platform and an OCI index under every tag, attaches SBOM and provenance; writes artifacts/image.json")
        .DependsOn(Scan)
        .Requires(() => PlatformsAreValid)
        .Executes(PushImage);
}
