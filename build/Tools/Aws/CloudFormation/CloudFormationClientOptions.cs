namespace CloudAge.Tools.Aws.CloudFormation;

/// <summary>How the CloudFormation client reaches the API and how patiently it retries (<see cref="Transport.AwsCallOptions"/>).</summary>
public sealed record CloudFormationClientOptions : CloudAge.Tools.Aws.Transport.AwsCallOptions
{
    /// <summary>Overrides <c>https://cloudformation.&lt;region&gt;.amazonaws.com</c> (VPC endpoint, emulator such as moto).</summary>
    public Uri? Endpoint { get; init; }
}
