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
