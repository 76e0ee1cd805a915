using Amazon.Runtime;

namespace CloudAge.Tools.Aws.Credentials;

/// <summary>
/// Resolved AWS credentials and region. <see cref="Credentials"/> may refresh itself (web identity, instance
/// roles); clients ask it for fresh keys before each signature.
/// </summary>
/// <param name="CredentialSource">Where the credentials came from, for logs ("environment variables", "profile 'dev'").</param>
public sealed record AwsSession(AWSCredentials Credentials, string Region, string CredentialSource)
{
    /// <summary>Credentials given explicitly (tests, or keys passed as secret parameters).</summary>
    public static AwsSession FromKeys(string accessKeyId, string secretAccessKey, string? sessionToken, string region) =>
        new(string.IsNullOrEmpty(sessionToken)
                ? new BasicAWSCredentials(accessKeyId, secretAccessKey)
                : new SessionAWSCredentials(accessKeyId, secretAccessKey, sessionToken),
            region, "explicit keys");
}
