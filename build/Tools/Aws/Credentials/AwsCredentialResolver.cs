using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using CloudAge.Common.Secrets;

namespace CloudAge.Tools.Aws.Credentials;

/// <summary>
/// Finds AWS credentials the way the AWS CLI and SDKs do, through AWSSDK.Core's default chain: environment
/// variables (which is also how GitHub's configure-aws-credentials hands over OIDC credentials), web identity
/// (IRSA: AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, through AWSSDK.SecurityToken), the AWS_PROFILE /
/// default profile, then container and instance metadata. The SDK's chain reads the process environment by
/// design; the region is read through the <c>environment</c> provider given here.
/// </summary>
public sealed class AwsCredentialResolver(SecretMasker masker, Action<string> log, Func<string, string?> environment)
{
    /// <summary>Resolves credentials and region; the secret key and session token are in the masker before this returns.</summary>
    /// <param name="region">An explicit region (a build parameter); wins over AWS_REGION, AWS_DEFAULT_REGION and the profile.</param>
    public async Task<AwsSession> ResolveAsync(string? region = null, CancellationToken cancellationToken = default)
    {
        using var chain = new DefaultAWSCredentialsIdentityResolver();
        var profileName = DefaultAWSCredentialsIdentityResolver.GetProfileName();
        AWSCredentials credentials;
        try
        {
            credentials = await chain.ResolveIdentityAsync(null, cancellationToken).ConfigureAwait(false);
            // Refreshing credentials (web identity, instance roles) fetch their keys here: fail now, not mid-push.
            await CredentialKeys.GetAsync(credentials, masker).ConfigureAwait(false);
        }
        catch (AmazonClientException e) when (IsSsoProfile(profileName))
        {
            throw new AwsCredentialsException(masker.Redact(
                $"The AWS SSO session of profile '{profileName}' has expired or was never started: run 'aws sso login --profile {profileName}', then rerun. " +
                $"The AWS SDK said: {e.Message}"));
        }
        catch (AmazonClientException e)
        {
            throw new AwsCredentialsException(NoCredentialsMessage(profileName, masker.Redact(e.Message)));
        }
        catch (AmazonServiceException e)
        {
            throw new AwsCredentialsException(masker.Redact(
                $"AWS credentials were found but AWS refused them: {e.Message}. " +
                "For web identity check AWS_ROLE_ARN, the token file and the role's trust policy; for a profile run 'aws sts get-caller-identity' to see what fails."));
        }

        var source = Describe(credentials, profileName);
        var resolvedRegion = ResolveRegion(region, profileName);
        log($"AWS credentials from {source}, region {resolvedRegion}.");
        return new AwsSession(credentials, resolvedRegion, source);
    }

    private string ResolveRegion(string? explicitRegion, string profileName)
    {
        // The first that gives one, as the AWS CLI reads them; the message names the one that did.
        var (region, from) = NonEmpty(explicitRegion) is { } given ? (given, "the region parameter")
            : NonEmpty(environment("AWS_REGION")) is { } regionVariable ? (regionVariable, "AWS_REGION")
            : NonEmpty(environment("AWS_DEFAULT_REGION")) is { } defaultVariable ? (defaultVariable, "AWS_DEFAULT_REGION")
            : ((string?)null, "");
        if (region is null && new CredentialProfileStoreChain().TryGetProfile(profileName, out var profile))
            (region, from) = (profile.Region?.SystemName, $"the 'region' of profile '{profileName}'");
        // AWS_REGION and the profile are read here rather than bound as parameters: check them against AWS's pattern too.
        if (region is not null && !Regions.AwsRegions.IsValid(region))
            throw new CloudAge.Common.Errors.InputException(
                $"The AWS region '{(region.Length > 40 ? region[..40] + "..." : region)}' from {from} is not a region name; expected {Regions.AwsRegions.Expected}.");
        return region ?? throw new AwsCredentialsException(
            $"No AWS region: tried the region parameter, AWS_REGION, AWS_DEFAULT_REGION and the 'region' of profile '{profileName}'. " +
            "Pass the region parameter (for example us-east-1), export AWS_REGION, or add 'region = ...' to the profile in ~/.aws/config.");
    }

    // An IAM Identity Center profile (sso_session or the legacy sso_start_url): AWSSDK.Core resolves it through
    // AWSSDK.SSO and AWSSDK.SSOOIDC, which this project references so they load at run time.
    private static bool IsSsoProfile(string profileName) =>
        new CredentialProfileStoreChain().TryGetProfile(profileName, out var profile)
        && (!string.IsNullOrEmpty(profile.Options.SsoSession) || !string.IsNullOrEmpty(profile.Options.SsoStartUrl));

    private static string NoCredentialsMessage(string profileName, string detail) =>
        "No AWS credentials found. Tried, in order: environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN); " +
        "web identity (AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN); " +
        $"profile '{profileName}' (AWS_PROFILE, ~/.aws/credentials and ~/.aws/config); container and EC2 instance metadata. " +
        "Export the keys, run 'aws configure' or 'aws sso login' (and set AWS_PROFILE), or in GitHub Actions add " +
        "aws-actions/configure-aws-credentials with role-to-assume before this step. " +
        $"The AWS SDK said: {detail}";

    private static string Describe(AWSCredentials credentials, string profileName) => credentials.GetType().Name switch
    {
        "EnvironmentVariablesAWSCredentials" => "environment variables",
        "AssumeRoleWithWebIdentityCredentials" => $"web identity (role {((AssumeRoleWithWebIdentityCredentials)credentials).RoleArn})",
        "SSOAWSCredentials" => $"SSO profile '{profileName}'",
        "ECSTaskCredentials" or "GenericContainerCredentials" => "container credentials",
        "DefaultInstanceProfileAWSCredentials" or "InstanceProfileAWSCredentials" => "EC2 instance metadata",
        _ => $"profile '{profileName}'",
    };

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
