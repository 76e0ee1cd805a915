using CloudAge.Engine;
using CloudAge.Tools.Aws.Credentials;
using CloudAge.Tools.Aws.Ecr;

namespace CloudAge.Build;

public sealed partial class Build
{
    [Parameter("AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, then the profile)")]
    public string? AwsRegion { get; init; }

    [Parameter("ECR API endpoint override, for VPC endpoints and emulators (e.g. http://127.0.0.1:5001)")]
    public Uri? EcrEndpoint { get; init; }

    async Task<EcrClient> ConnectEcr(CancellationToken cancellationToken) =>
        new(await ResolveAws(cancellationToken), Secrets, Log.Information, new EcrClientOptions { Endpoint = EcrEndpoint });

    /// <summary>AWS credentials and region as AWS tools find them; the keys are added to the secrets on the way.</summary>
    Task<AwsSession> ResolveAws(CancellationToken cancellationToken) =>
        new AwsCredentialResolver(Secrets, Log.Information, name => EnvironmentVariables.GetValueOrDefault(name)).ResolveAsync(AwsRegion, cancellationToken);
}
