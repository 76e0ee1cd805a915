using CloudAge.Common.Errors;
using CloudAge.Tools.Aws.Tests.Fixtures;
using CloudAge.Tools.Aws.Transport;

namespace CloudAge.Tools.Aws.Tests.Transport;

/// <summary>
/// The endpoint settings of the shared config file read through AWSSDK.Core's own parser, from a real file in the
/// layout the reference guide's "Service-specific endpoints" shows (AwsEnvironment's profiles, AWS_CONFIG_FILE).
/// In the moto collection because AwsEnvironment changes the process environment.
/// </summary>
[Collection(MotoServerGroup.Name)]
public sealed class SharedConfigEndpointsTests
{
    private static Func<string, string?> NoVariables => _ => null;

    [Fact]
    public void A_profiles_endpoint_url_and_its_services_section_are_read_from_the_file()
    {
        using var environment = new AwsEnvironment(new Dictionary<string, string>());

        var config = SharedConfigEndpoints.Read("endpoints", Environment.GetEnvironmentVariable);

        Assert.Equal("http://localhost:4566", config.EndpointUrl);
        Assert.Equal("endpoints-local", config.ServicesSection);
        Assert.Equal("http://localhost:4567", config.ServiceEndpoints["ecr"]);
        Assert.Equal("https://cloudformation.vpce.example", config.ServiceEndpoints["cloudformation"]);
        Assert.Equal(Path.Combine(environment.Directory, "config"), config.File);
        Assert.Null(config.Ignore);
    }

    [Fact]
    public void Each_service_gets_its_own_setting_else_the_profiles()
    {
        using var environment = new AwsEnvironment(new Dictionary<string, string>());
        var config = SharedConfigEndpoints.Read("endpoints", Environment.GetEnvironmentVariable);

        Assert.Equal("http://localhost:4567/", ConfiguredEndpoint.Resolve(ConfiguredEndpoint.Ecr, null, NoVariables, config)?.AbsoluteUri);
        Assert.Equal("https://cloudformation.vpce.example/", ConfiguredEndpoint.Resolve(ConfiguredEndpoint.CloudFormation, null, NoVariables, config)?.AbsoluteUri);
        Assert.Equal("http://localhost:4566/", ConfiguredEndpoint.Resolve(ConfiguredEndpoint.Sts, null, NoVariables, config)?.AbsoluteUri);
    }

    [Fact]
    public void A_profile_that_ignores_configured_endpoints_and_profiles_without_settings_give_the_regional_endpoint()
    {
        using var environment = new AwsEnvironment(new Dictionary<string, string>());

        var ignoring = SharedConfigEndpoints.Read("endpoints-ignored", Environment.GetEnvironmentVariable);
        Assert.True(ignoring.Ignore);
        Assert.Null(ConfiguredEndpoint.Resolve(ConfiguredEndpoint.Ecr, null, NoVariables, ignoring));
        Assert.Null(ConfiguredEndpoint.Resolve(ConfiguredEndpoint.Ecr, null, NoVariables, SharedConfigEndpoints.Read("ci", Environment.GetEnvironmentVariable)));
        Assert.Null(ConfiguredEndpoint.Resolve(ConfiguredEndpoint.Ecr, null, NoVariables, SharedConfigEndpoints.Read("no-such-profile", Environment.GetEnvironmentVariable)));
    }

    [Fact]
    public void Without_AWS_CONFIG_FILE_the_default_profile_is_the_default_section_of_the_config_file_in_HOME()
    {
        var home = Directory.CreateTempSubdirectory("cloudage-home-").FullName;
        try
        {
            var file = Path.Combine(Directory.CreateDirectory(Path.Combine(home, ".aws")).FullName, "config");
            File.WriteAllText(file, "[default]\nregion = us-east-1\nendpoint_url = http://127.0.0.1:4566\n\n[profile other]\nendpoint_url = http://127.0.0.1:1\n");

            var config = SharedConfigEndpoints.Read("default", name => name == "HOME" ? home : null);

            Assert.Equal(file, config.File);
            Assert.Equal("http://127.0.0.1:4566", config.EndpointUrl);
            Assert.Equal("http://127.0.0.1:1", SharedConfigEndpoints.Read("other", name => name == "HOME" ? home : null).EndpointUrl);
            Assert.Null(SharedConfigEndpoints.Read("default", name => name == "AWS_CONFIG_FILE" ? Path.Combine(home, "missing") : null).EndpointUrl);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public void A_bad_url_in_the_file_names_the_profile_and_the_file()
    {
        using var environment = new AwsEnvironment(new Dictionary<string, string>());

        var error = Assert.Throws<InputException>(() => ConfiguredEndpoint.Resolve(ConfiguredEndpoint.Eks, null, NoVariables, SharedConfigEndpoints.Read("endpoints-bad", Environment.GetEnvironmentVariable)));

        Assert.StartsWith($"The endpoint_url of profile 'endpoints-bad' in {Path.Combine(environment.Directory, "config")} (EKS's endpoint", error.Message, StringComparison.Ordinal);
    }
}
