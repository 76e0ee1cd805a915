using CloudAge.Engine;
using CloudAge.Tools.Aws.Credentials;
using CloudAge.Tools.Aws.Ecr;
using CloudAge.Tools.Aws.Regions;
using CloudAge.Tools.Aws.Transport;

namespace CloudAge.Build;

public sealed partial class Build
{
    [Parameter("AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, then the profile)")]
    [Pattern(AwsRegions.Pattern, AwsRegions.Expected)]
    public string? AwsRegion { get; init; }

    [Parameter("Alias of --aws-endpoint (ECR API endpoint override; kept for existing scripts)")]
    [UriSchemes("https://api.ecr.us-east-1.amazonaws.com", "https", "http")]
    public Uri? EcrEndpoint { get; init; }

    /// <summary>
    /// Where one AWS service is called: --aws-endpoint (or its alias --ecr-endpoint) for every service, else the AWS
    /// CLI's endpoint variables, else the profile's endpoint settings in the shared config file (read once).
    /// </summary>
    Uri? AwsApiEndpointFor(string service)
    {
        var given = AwsEndpoint ?? EcrEndpoint;
        return ConfiguredEndpoint.Resolve(service, given, name => EnvironmentVariables.GetValueOrDefault(name),
            given is null ? _sharedConfigEndpoints ??= SharedConfigEndpoints.Read(
                Amazon.Runtime.Credentials.DefaultAWSCredentialsIdentityResolver.GetProfileName(), name => EnvironmentVariables.GetValueOrDefault(name)) : null);
    }

    SharedConfigEndpoints? _sharedConfigEndpoints;

    async Task<EcrClient> ConnectEcr(CancellationToken cancellationToken) =>
        new(await ResolveAws(cancellationToken), Secrets, Log.Information, new EcrClientOptions { Endpoint = AwsApiEndpointFor(ConfiguredEndpoint.Ecr) });

    /// <summary>AWS credentials and region as AWS tools find them; the keys are added to the secrets on the way.</summary>
    Task<AwsSession> ResolveAws(CancellationToken cancellationToken) =>
        new AwsCredentialResolver(Secrets, Log.Information, name => EnvironmentVariables.GetValueOrDefault(name)).ResolveAsync(AwsRegion, cancellationToken);
}
