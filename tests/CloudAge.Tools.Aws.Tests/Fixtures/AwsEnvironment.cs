namespace CloudAge.Tools.Aws.Tests.Fixtures;

/// <summary>
/// Sets the AWS variables AWSSDK.Core's credential chain reads from the process environment, and restores
/// them on dispose. Every other AWS variable is cleared, the profile files point into a temp dir and
/// instance metadata is disabled, so the developer's own AWS setup never leaks in and nothing leaves loopback.
/// Tests using it run in the moto collection, which runs one test at a time.
/// </summary>
public sealed class AwsEnvironment : IDisposable
{
    private static readonly string[] Names =
    [
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION",
        "AWS_DEFAULT_REGION", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
        "AWS_ROLE_SESSION_NAME", "AWS_ENDPOINT_URL_STS", "AWS_EC2_METADATA_DISABLED", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SSO",
    ];

    /// <summary>The key of profile <c>ci</c> in the profile files every test sees.</summary>
    public const string ProfileSecret = "profile-secret-1679091c5a880faf6fb5";

    // AWSSDK.Core reads the profile files once per process and keeps their contents, so they are written once,
    // before any test reaches the SDK, and removed when the test process exits.
    private static readonly string SharedDirectory = CreateProfiles();

    private readonly Dictionary<string, string?> _saved = Names.ToDictionary(n => n, Environment.GetEnvironmentVariable);

    public AwsEnvironment(IReadOnlyDictionary<string, string> values)
    {
        Directory = SharedDirectory;
        foreach (var name in Names)
            Environment.SetEnvironmentVariable(name, null);
        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", Path.Combine(Directory, "credentials"));
        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", Path.Combine(Directory, "config"));
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        foreach (var (name, value) in values)
            Environment.SetEnvironmentVariable(name, value.Replace("{dir}", Directory, StringComparison.Ordinal));
    }

    public string Directory { get; }

    /// <summary>Two IAM Identity Center profiles as `aws configure sso` writes them, one session each (so one token cache file each).</summary>
    private const string SsoProfiles = """

        [profile sso-dev]
        sso_session = cloudage-valid
        sso_account_id = 123456789012
        sso_role_name = Deployer
        region = us-east-1

        [sso-session cloudage-valid]
        sso_start_url = https://cloudage-test.awsapps.com/start
        sso_region = us-east-1
        sso_registration_scopes = sso:account:access

        [profile sso-expired]
        sso_session = cloudage-expired
        sso_account_id = 123456789012
        sso_role_name = Deployer
        region = us-east-1

        [sso-session cloudage-expired]
        sso_start_url = https://cloudage-test.awsapps.com/start
        sso_region = us-east-1
        sso_registration_scopes = sso:account:access

        """;

    /// <summary>
    /// Endpoint settings as the reference guide's "Service-specific endpoints" writes them: a profile's own endpoint_url
    /// and a services section with nested per-service settings; one profile that ignores them all, one with a bad URL.
    /// </summary>
    private const string EndpointProfiles = """

        [profile endpoints]
        region = us-east-1
        endpoint_url = http://localhost:4566
        services = endpoints-local

        [services endpoints-local]
        ecr =
          endpoint_url = http://localhost:4567
        cloudformation =
          endpoint_url = https://cloudformation.vpce.example

        [profile endpoints-ignored]
        region = us-east-1
        endpoint_url = http://localhost:4566
        ignore_configured_endpoint_urls = true

        [profile endpoints-bad]
        region = us-east-1
        endpoint_url = localhost:4566

        """;

    private static string CreateProfiles()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("cloudage-aws-").FullName;
        File.WriteAllText(Path.Combine(directory, "credentials"), $"[ci]\naws_access_key_id = AKIAPROFILE000000001\naws_secret_access_key = {ProfileSecret}\n");
        File.WriteAllText(Path.Combine(directory, "config"), "[profile ci]\nregion = ap-southeast-2\n" + SsoProfiles + EndpointProfiles);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => System.IO.Directory.Delete(directory, recursive: true);
        return directory;
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved)
            Environment.SetEnvironmentVariable(name, value);
    }
}
