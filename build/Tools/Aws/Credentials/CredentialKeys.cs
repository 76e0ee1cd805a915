using Amazon.Runtime;
using CloudAge.Common.Secrets;

namespace CloudAge.Tools.Aws.Credentials;

/// <summary>The one place that takes keys out of <see cref="AWSCredentials"/>, so each secret reaches the masker first.</summary>
internal static class CredentialKeys
{
    public static async Task<ImmutableCredentials> GetAsync(AWSCredentials credentials, SecretMasker masker)
    {
        var keys = await credentials.GetCredentialsAsync().ConfigureAwait(false);
        masker.Add(keys.SecretKey);
        masker.Add(keys.Token);
        return keys;
    }
}
