using CloudAge.Tools.Aws.Credentials;
using CloudAge.Tools.Aws.Tests.Fixtures;
using CloudAge.Testing;

namespace CloudAge.Tools.Aws.Tests.Credentials;

/// <summary>AWSSDK.Core's real default chain, fed through the process environment (hence the moto collection: one at a time).</summary>
[Collection(MotoServerGroup.Name)]
public sealed class AwsCredentialResolverTests(MotoServer moto)
{
    private const string Secret = "resolver-secret-a87ff679a2f3e71d9181";
    private const string Token = "resolver-session-token-e4da3b7fbbce2345d7772b0674a318d5";

    private readonly LogCapture _log = new();

    private AwsCredentialResolver Resolver(params (string Name, string Value)[] environment) =>
        new(_log.Masker, _log.Log, name => environment.FirstOrDefault(e => e.Name == name).Value);

    [Fact]
    public async Task Environment_variables_are_found_and_their_secrets_masked_at_once()
    {
        using var env = new AwsEnvironment(new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = "AKIAENVTEST000000001", ["AWS_SECRET_ACCESS_KEY"] = Secret, ["AWS_SESSION_TOKEN"] = Token,
        });

        var session = await Resolver(("AWS_REGION", "eu-central-1")).ResolveAsync();

        Assert.Equal("environment variables", session.CredentialSource);
        Assert.Equal("eu-central-1", session.Region);
        Assert.Equal("AKIAENVTEST000000001", (await session.Credentials.GetCredentialsAsync()).AccessKey);
        Assert.Equal("***", _log.Masker.Redact(Secret));
        Assert.Equal("***", _log.Masker.Redact(Token));
        _log.AssertNoneLeaked([Secret, Token]);
    }

    [Fact]
    public async Task A_named_profile_gives_credentials_and_its_region()
    {
        using var env = new AwsEnvironment(new Dictionary<string, string> { ["AWS_PROFILE"] = "ci" });

        var session = await Resolver().ResolveAsync();

        Assert.Equal("profile 'ci'", session.CredentialSource);
        Assert.Equal("ap-southeast-2", session.Region);
        Assert.Equal("AKIAPROFILE000000001", (await session.Credentials.GetCredentialsAsync()).AccessKey);
        Assert.Equal("***", _log.Masker.Redact(AwsEnvironment.ProfileSecret));
    }

    [Fact]
    public async Task The_region_parameter_wins_over_AWS_REGION_which_wins_over_AWS_DEFAULT_REGION()
    {
        using var env = new AwsEnvironment(new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "AKIAENVTEST000000001", ["AWS_SECRET_ACCESS_KEY"] = Secret });

        var explicitRegion = await Resolver(("AWS_REGION", "us-west-2"), ("AWS_DEFAULT_REGION", "eu-west-1")).ResolveAsync("sa-east-1");
        var fromRegion = await Resolver(("AWS_REGION", "us-west-2"), ("AWS_DEFAULT_REGION", "eu-west-1")).ResolveAsync();
        var fromDefault = await Resolver(("AWS_DEFAULT_REGION", "eu-west-1")).ResolveAsync();

        Assert.Equal(["sa-east-1", "us-west-2", "eu-west-1"], [explicitRegion.Region, fromRegion.Region, fromDefault.Region]);
    }

    [Fact]
    public async Task A_region_that_is_not_one_is_refused_naming_where_it_came_from()
    {
        using var env = new AwsEnvironment(new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "AKIAENVTEST000000001", ["AWS_SECRET_ACCESS_KEY"] = Secret });

        var fromDefault = await Assert.ThrowsAsync<CloudAge.Common.Errors.InputException>(() => Resolver(("AWS_DEFAULT_REGION", "mars-1")).ResolveAsync());
        var fromRegion = await Assert.ThrowsAsync<CloudAge.Common.Errors.InputException>(() => Resolver(("AWS_REGION", "mars-1"), ("AWS_DEFAULT_REGION", "us-east-1")).ResolveAsync());

        Assert.StartsWith("The AWS region 'mars-1' from AWS_DEFAULT_REGION is not a region name; expected", fromDefault.Message, StringComparison.Ordinal);
        Assert.StartsWith("The AWS region 'mars-1' from AWS_REGION is not a region name", fromRegion.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_region_anywhere_says_where_it_looked_and_what_to_set()
    {
        using var env = new AwsEnvironment(new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "AKIAENVTEST000000001", ["AWS_SECRET_ACCESS_KEY"] = Secret });

        var error = await Assert.ThrowsAsync<AwsCredentialsException>(() => Resolver().ResolveAsync());

        Assert.Contains("AWS_REGION, AWS_DEFAULT_REGION", error.Message);
        Assert.Contains("export AWS_REGION", error.Message);
    }

    [Fact]
    public async Task No_credentials_anywhere_lists_the_sources_tried_and_what_to_do()
    {
        using var env = new AwsEnvironment(new Dictionary<string, string>());

        var error = await Assert.ThrowsAsync<AwsCredentialsException>(() => Resolver(("AWS_REGION", "us-east-1")).ResolveAsync());

        Assert.Contains("environment variables (AWS_ACCESS_KEY_ID", error.Message);
        Assert.Contains("web identity (AWS_WEB_IDENTITY_TOKEN_FILE", error.Message);
        Assert.Contains("profile 'default'", error.Message);
        Assert.Contains("instance metadata", error.Message);
        Assert.Contains("configure-aws-credentials", error.Message);
    }

    [IntegrationFact(Needs.Moto)]
    public async Task Web_identity_assumes_the_role_through_STS_as_IRSA_pods_do()
    {
        // moto plays STS; AWSSDK.Core loads AWSSDK.SecurityToken by name for this, so this also proves it ships.
        var sts = await moto.EndpointAsync();
        using var env = new AwsEnvironment(new Dictionary<string, string>
        {
            ["AWS_WEB_IDENTITY_TOKEN_FILE"] = "{dir}/token", ["AWS_ROLE_ARN"] = $"arn:aws:iam::{MotoServer.AccountId}:role/cloudage-ci",
            ["AWS_ENDPOINT_URL_STS"] = sts.ToString().TrimEnd('/'), ["AWS_REGION"] = "us-east-1",
        });
        File.WriteAllText(Path.Combine(env.Directory, "token"), "eyJhbGciOiJub25lIn0.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6Y2kifQ.c2ln");

        var session = await Resolver(("AWS_REGION", "us-east-1")).ResolveAsync();
        var keys = await session.Credentials.GetCredentialsAsync();

        Assert.Equal($"web identity (role arn:aws:iam::{MotoServer.AccountId}:role/cloudage-ci)", session.CredentialSource);
        Assert.True(keys.UseToken);
        Assert.Equal("***", _log.Masker.Redact(keys.SecretKey));
        Assert.Equal("***", _log.Masker.Redact(keys.Token));
    }
}
