using System.Security.Cryptography;
using System.Text;
using CloudAge.Tools.Aws.Credentials;
using CloudAge.Tools.Aws.Tests.Fixtures;

namespace CloudAge.Tools.Aws.Tests.Credentials;

/// <summary>
/// SSO profiles (aws sso login) through AWSSDK.Core's real chain with AWSSDK.SSO/SSOOIDC loaded: the token that
/// `aws sso login` caches in ~/.aws/sso/cache (a temp HOME here) is exchanged at a loopback portal for role credentials.
/// In the moto collection because it changes the process environment.
/// </summary>
[Collection(MotoServerGroup.Name)]
public sealed class SsoCredentialTests : IDisposable
{
    private const string AccessToken = "sso-access-token-eccbc87e4b5ce2fe28308fd9f2a7baf3";
    private readonly LogCapture _log = new();
    private readonly string _home = Directory.CreateTempSubdirectory("cloudage-home-").FullName;
    private readonly string? _savedHome = Environment.GetEnvironmentVariable("HOME");

    public SsoCredentialTests() => Environment.SetEnvironmentVariable("HOME", _home);

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("HOME", _savedHome);
        Directory.Delete(_home, recursive: true);
    }

    // The CLI names the cache file after the SHA-1 of the sso-session name (botocore utils.SSOTokenLoader).
    private void CacheToken(string session, DateTimeOffset expiresAt)
    {
        var cache = Directory.CreateDirectory(Path.Combine(_home, ".aws", "sso", "cache")).FullName;
#pragma warning disable CA5350 // SHA-1 is the file-naming scheme the AWS CLI and SDKs share, not a security measure.
        var name = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(session))) + ".json";
#pragma warning restore CA5350
        File.WriteAllText(Path.Combine(cache, name), $$"""
            {"startUrl": "https://cloudage-test.awsapps.com/start", "region": "us-east-1", "accessToken": "{{AccessToken}}",
             "expiresAt": "{{expiresAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}}"}
            """);
    }

    private AwsCredentialResolver Resolver() => new(_log.Masker, _log.Log, _ => null);

    [Fact]
    public async Task A_valid_cached_sso_token_gives_the_roles_credentials_with_secrets_masked()
    {
        using var portal = new SsoPortal(AccessToken);
        CacheToken("cloudage-valid", DateTimeOffset.UtcNow.AddHours(4));
        using var env = new AwsEnvironment(new Dictionary<string, string> { ["AWS_PROFILE"] = "sso-dev", ["AWS_ENDPOINT_URL_SSO"] = portal.Endpoint.ToString().TrimEnd('/') });

        var session = await Resolver().ResolveAsync();

        var keys = await session.Credentials.GetCredentialsAsync();
        Assert.Equal(SsoPortal.AccessKeyId, keys.AccessKey);
        Assert.Equal("SSO profile 'sso-dev'", session.CredentialSource);
        Assert.Equal("us-east-1", session.Region);
        Assert.Contains(portal.Requests, r => r.StartsWith("GET /federation/credentials?", StringComparison.Ordinal) && r.EndsWith("token=" + AccessToken, StringComparison.Ordinal));
        Assert.Equal("***", _log.Masker.Redact(SsoPortal.SecretAccessKey));
        Assert.Equal("***", _log.Masker.Redact(SsoPortal.SessionToken));
        _log.AssertNoneLeaked([SsoPortal.SecretAccessKey, SsoPortal.SessionToken, AccessToken]);
    }

    [Fact]
    public async Task An_expired_sso_token_names_the_profile_and_the_login_command()
    {
        using var portal = new SsoPortal(AccessToken);
        CacheToken("cloudage-expired", DateTimeOffset.UtcNow.AddHours(-1));
        using var env = new AwsEnvironment(new Dictionary<string, string> { ["AWS_PROFILE"] = "sso-expired", ["AWS_ENDPOINT_URL_SSO"] = portal.Endpoint.ToString().TrimEnd('/') });

        var e = await Assert.ThrowsAsync<AwsCredentialsException>(() => Resolver().ResolveAsync());

        Assert.Contains("profile 'sso-expired'", e.Message);
        Assert.Contains("aws sso login --profile sso-expired", e.Message);
        Assert.DoesNotContain("AWSSDK.SSOOIDC", e.Message);
        Assert.DoesNotContain(AccessToken, e.Message);
        Assert.Empty(portal.Requests);
    }
}
