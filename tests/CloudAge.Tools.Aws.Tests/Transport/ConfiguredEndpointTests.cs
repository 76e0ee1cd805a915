using CloudAge.Common.Errors;
using CloudAge.Tools.Aws.Transport;

namespace CloudAge.Tools.Aws.Tests.Transport;

/// <summary>
/// The endpoint variables the AWS SDKs and CLI read (reference guide, "Service-specific endpoints"), read the same way:
/// the cases follow the precedence the guide and aws-cli's tests/functional/configured_endpoint_urls describe.
/// </summary>
public sealed class ConfiguredEndpointTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Theory]
    [InlineData(null, null, null, null)] // nothing set: the regional endpoint
    [InlineData("http://global:4566", null, null, "http://global:4566/")]
    [InlineData("http://global:4566", "https://ecr.vpce.example/", null, "https://ecr.vpce.example/")] // the service's wins over the global one
    [InlineData(null, "https://ecr.vpce.example/base", null, "https://ecr.vpce.example/base/")] // a path is kept, as a base
    [InlineData("http://global:4566", "https://ecr.vpce.example/", "true", null)] // ignored altogether
    [InlineData("http://global:4566", null, "TRUE", null)]
    [InlineData("http://global:4566", null, "false", "http://global:4566/")]
    [InlineData("  http://global:4566  ", "", null, "http://global:4566/")] // an empty service variable is not set
    public void The_service_variable_wins_over_the_global_one_and_both_can_be_ignored(string? global, string? ecr, string? ignore, string? expected)
    {
        var environment = Environment(("AWS_ENDPOINT_URL", global!), ("AWS_ENDPOINT_URL_ECR", ecr!), ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", ignore!));

        Assert.Equal(expected, ConfiguredEndpoint.Resolve(ConfiguredEndpoint.Ecr, null, environment)?.AbsoluteUri);
    }

    [Fact]
    public void An_endpoint_given_to_the_caller_wins_over_every_variable_even_when_they_are_ignored_or_bad()
    {
        var given = new Uri("http://127.0.0.1:5000/");

        Assert.Same(given, ConfiguredEndpoint.Resolve(ConfiguredEndpoint.Eks, given, Environment(("AWS_ENDPOINT_URL_EKS", "not a url"))));
        Assert.Same(given, ConfiguredEndpoint.Resolve(ConfiguredEndpoint.Eks, given, Environment(("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"))));
    }

    [Fact]
    public void Another_services_variable_is_not_used()
    {
        Assert.Null(ConfiguredEndpoint.Resolve(ConfiguredEndpoint.CloudFormation, null, Environment(("AWS_ENDPOINT_URL_ECR", "http://ecr:4566"))));
    }

    private static SharedConfigEndpoints Config(string? endpointUrl = null, bool? ignore = null, params (string Service, string Url)[] services) =>
        new("dev", "/home/dev/.aws/config", endpointUrl, ignore, services.Length > 0 ? "dev-services" : null, services.ToDictionary(s => s.Service, s => s.Url));

    // aws-cli tests/functional/configured_endpoint_urls/profile-tests.json: the environment's variables before the
    // file's settings, the global variable even before the services section; in the file, the service's before the profile's.
    [Theory]
    [InlineData(null, null, "http://file-global:1/", null, "http://file-global:1/")]
    [InlineData(null, null, "http://file-global:1/", "http://file-ecr:2/", "http://file-ecr:2/")]
    [InlineData("http://env-global:3", null, "http://file-global:1/", "http://file-ecr:2/", "http://env-global:3/")]
    [InlineData("http://env-global:3", "http://env-ecr:4", "http://file-global:1/", "http://file-ecr:2/", "http://env-ecr:4/")]
    [InlineData(null, null, null, null, null)]
    public void The_shared_config_file_comes_after_both_variables_and_its_service_setting_before_its_profile_setting(
        string? globalVariable, string? ecrVariable, string? profileUrl, string? ecrSetting, string? expected)
    {
        var environment = Environment(("AWS_ENDPOINT_URL", globalVariable!), ("AWS_ENDPOINT_URL_ECR", ecrVariable!));
        var config = ecrSetting is null ? Config(profileUrl) : Config(profileUrl, null, ("ecr", ecrSetting));

        Assert.Equal(expected, ConfiguredEndpoint.Resolve(ConfiguredEndpoint.Ecr, null, environment, config)?.AbsoluteUri);
    }

    [Fact]
    public void Another_services_setting_in_the_file_is_not_used()
    {
        Assert.Equal("http://file-global:1/", ConfiguredEndpoint.Resolve(ConfiguredEndpoint.Sts, null, Environment(),
            Config("http://file-global:1", null, ("ecr", "http://file-ecr:2")))?.AbsoluteUri);
    }

    [Theory]
    [InlineData(null, true, null)] // the profile's setting ignores the variables too
    [InlineData("true", false, null)]
    [InlineData("false", true, "http://env-global:3/")] // the variable, when set, decides
    [InlineData(null, false, "http://env-global:3/")]
    public void Ignoring_configured_endpoints_is_the_variables_choice_when_set_else_the_profiles(string? ignoreVariable, bool profileIgnores, string? expected)
    {
        var environment = Environment(("AWS_ENDPOINT_URL", "http://env-global:3"), ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", ignoreVariable!));

        Assert.Equal(expected, ConfiguredEndpoint.Resolve(ConfiguredEndpoint.Eks, null, environment, Config("http://file-global:1", profileIgnores))?.AbsoluteUri);
        // The given endpoint (the flag) is never ignored.
        Assert.Equal("http://flag:5/", ConfiguredEndpoint.Resolve(ConfiguredEndpoint.Eks, new Uri("http://flag:5/"), environment, Config("http://file-global:1", profileIgnores))?.AbsoluteUri);
    }

    [Fact]
    public void A_bad_setting_in_the_file_is_an_input_error_naming_the_profile_the_file_and_the_key_but_not_the_value()
    {
        var profile = Assert.Throws<InputException>(() => ConfiguredEndpoint.Resolve(ConfiguredEndpoint.Iam, null, Environment(), Config("ftp://files.example/x")));
        var service = Assert.Throws<InputException>(() => ConfiguredEndpoint.Resolve(ConfiguredEndpoint.Ecr, null, Environment(), Config(null, null, ("ecr", "localhost:4567"))));

        Assert.StartsWith("The endpoint_url of profile 'dev' in /home/dev/.aws/config (IAM's endpoint", profile.Message, StringComparison.Ordinal);
        Assert.StartsWith("The endpoint_url under 'ecr' in section [services dev-services] of /home/dev/.aws/config (ECR's endpoint for profile 'dev'", service.Message, StringComparison.Ordinal);
        foreach (var error in new[] { profile, service })
        {
            Assert.Contains("such as https://", error.Message, StringComparison.Ordinal);
            Assert.EndsWith("or remove it.", error.Message, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("ftp://files.example", profile.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("localhost:4567", service.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost:9999")] // no scheme
    [InlineData("ftp://example.com/")]
    [InlineData("https://user:secret@example.com/")] // credentials in the URL would go out with every signed request
    [InlineData("https://example.com/?region=us-east-1")]
    public void A_bad_variable_is_an_input_error_naming_it_with_a_good_example_and_never_its_value(string value)
    {
        var error = Assert.Throws<InputException>(() =>
            ConfiguredEndpoint.Resolve(ConfiguredEndpoint.Sts, null, Environment(("AWS_ENDPOINT_URL_STS", value))));

        Assert.StartsWith("The environment variable AWS_ENDPOINT_URL_STS (STS's endpoint", error.Message, StringComparison.Ordinal);
        Assert.Contains("such as https://sts.us-east-1.amazonaws.com or http://localhost:4566", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
    }
}
