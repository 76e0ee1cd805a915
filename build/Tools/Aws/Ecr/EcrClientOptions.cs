namespace CloudAge.Tools.Aws.Ecr;

/// <summary>How the ECR client reaches the API and how patiently it retries (<see cref="Transport.AwsCallOptions"/>).</summary>
public sealed record EcrClientOptions : CloudAge.Tools.Aws.Transport.AwsCallOptions
{
    /// <summary>Overrides <c>https://api.ecr.&lt;region&gt;.amazonaws.com</c> (VPC endpoint, emulator such as moto).</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>How often <see cref="EcrClient.WaitForScanAsync"/> asks for the scan status.</summary>
    public TimeSpan ScanPollInterval { get; init; } = TimeSpan.FromSeconds(5);
}
