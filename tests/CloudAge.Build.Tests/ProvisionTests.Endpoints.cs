using CloudAge.Build.Tests.Fixtures;

namespace CloudAge.Build.Tests;

/// <summary>
/// The AWS CLI's endpoint variables and the shared config file's endpoint settings reach the build's own AWS clients:
/// Provision --dry-run without --aws-endpoint finds the real moto server through AWS_ENDPOINT_URL_CLOUDFORMATION, or
/// through a profile's services section (a machine set up for LocalStack or a VPC endpoint either way used to have the
/// build call the public regional endpoint instead).
/// </summary>
public sealed partial class ProvisionTests
{
    [IntegrationFact(Needs.Moto)]
    public void The_services_own_endpoint_variable_wins_over_the_global_one_and_reaches_the_server()
    {
        // The global variable names a closed port: only the service's own variable leads to moto.
        var result = Run(Stack, new() { ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9", ["AWS_ENDPOINT_URL_CLOUDFORMATION"] = moto.Endpoint },
            ["--dry-run", "--stack-parameters", .. Parameters]);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("Dry run: change set", result.Output);
    }

    [IntegrationFact(Needs.Moto)]
    public void The_endpoint_flag_wins_over_the_endpoint_variables()
    {
        var result = Run(Stack, new() { ["AWS_ENDPOINT_URL_CLOUDFORMATION"] = "http://127.0.0.1:9" },
            ["--aws-endpoint", moto.Endpoint, "--dry-run", "--stack-parameters", .. Parameters]);

        Assert.True(result.ExitCode == 0, result.Output);
    }

    [IntegrationFact(Needs.Moto)]
    public void A_profiles_services_section_in_the_shared_config_file_reaches_the_server()
    {
        // The profile's own endpoint_url names a closed port: only its services section leads CloudFormation and IAM to moto.
        var config = Path.Combine(_repository.Root, "aws-config");
        File.WriteAllText(config, $"[profile local]\nendpoint_url = http://127.0.0.1:9\nservices = local-services\n\n" +
            $"[services local-services]\ncloudformation =\n  endpoint_url = {moto.Endpoint}\niam =\n  endpoint_url = {moto.Endpoint}\n");

        var result = Run(Stack, new() { ["AWS_CONFIG_FILE"] = config, ["AWS_PROFILE"] = "local" }, ["--dry-run", "--stack-parameters", .. Parameters]);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("Dry run: change set", result.Output);
    }

    [Fact]
    public void A_bad_endpoint_url_in_the_shared_config_file_exits_2_naming_the_profile_and_the_file()
    {
        var config = Path.Combine(_repository.Root, "aws-config");
        File.WriteAllText(config, "[default]\nendpoint_url = localhost:4566\n");

        var result = Run(Stack, new() { ["AWS_CONFIG_FILE"] = config }, ["--dry-run", "--stack-parameters", .. Parameters]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"The endpoint_url of profile 'default' in {config} (CloudFormation's endpoint, read as the AWS CLI reads it) is not an http or https URL", result.Output);
        Assert.DoesNotContain("   at ", result.Output);
    }

    [Fact]
    public void A_bad_endpoint_variable_exits_2_with_one_sentence_naming_it()
    {
        var result = Run(Stack, new() { ["AWS_ENDPOINT_URL"] = "localhost:4566" }, ["--dry-run", "--stack-parameters", .. Parameters]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("The environment variable AWS_ENDPOINT_URL (CloudFormation's endpoint, read as the AWS CLI reads it) is not an http or https URL", result.Output);
        Assert.DoesNotContain("   at ", result.Output);
    }
}
