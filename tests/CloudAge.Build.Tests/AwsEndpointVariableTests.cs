using CloudAge.Build.Tests.Fixtures;

namespace CloudAge.Build.Tests;

/// <summary>
/// The AWS CLI's endpoint variables reach the build's own AWS clients: `./build.sh Provision --dry-run` in its own
/// process, with no --aws-endpoint, finds the real moto server through AWS_ENDPOINT_URL_CLOUDFORMATION (a machine set
/// up for LocalStack or a VPC endpoint this way used to have the build call the public regional endpoint instead).
/// </summary>
public sealed class AwsEndpointVariableTests(MotoAlone moto) : IClassFixture<MotoAlone>, IDisposable
{
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzENDPOINTzz";
    private static readonly string Root = Prerequisites.RepositoryRoot();
    private readonly GateRepository _repository = CopyWithInfra();
    private readonly string _id = Guid.NewGuid().ToString("N")[..8];

    private static GateRepository CopyWithInfra()
    {
        var repository = new GateRepository(Root);
        Directory.CreateDirectory(Path.Combine(repository.Root, "infra"));
        File.Copy(Path.Combine(Root, "infra", "cloudage.yaml"), Path.Combine(repository.Root, "infra", "cloudage.yaml"));
        return repository;
    }

    private (int ExitCode, string Output) DryRun(Dictionary<string, string> endpoints, params string[] extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE",
            ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
            ["AWS_CONFIG_FILE"] = Path.Combine(_repository.Root, "no-aws-config"),
            ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(_repository.Root, "no-aws-credentials"),
            ["AWS_PROFILE"] = "",
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["NO_COLOR"] = "1",
        };
        foreach (var (name, value) in endpoints)
            environment[name] = value;
        var stack = "cloudage-endpoint-" + _id;
        var result = ProcessHelper.Run("dotnet", string.Join(' ', [BuildProgram.Dll(), "Provision", "--dry-run", "--root", _repository.Root, "--no-logo",
            "--aws-region", "us-east-1", "--stack-name", stack, "--stack-parameters", "GitHubOwner=acme", $"TableName=t-{_id}", $"BucketName=b-{_id}",
            $"RepositoryName=r-{_id}", "ConfigureRegistryScanning=false", .. extra]), _repository.Root, environment, timeoutSeconds: 300);
        Assert.DoesNotContain("wJalrXUtnFEMI", result.Output);
        return result;
    }

    [IntegrationFact(Needs.Moto)]
    public void The_services_own_variable_wins_over_the_global_one_and_reaches_the_server()
    {
        // The global variable names a closed port: only the service's own variable leads to moto.
        var result = DryRun(new() { ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9", ["AWS_ENDPOINT_URL_CLOUDFORMATION"] = moto.Endpoint });

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains($"Dry run: change set", result.Output);
    }

    [IntegrationFact(Needs.Moto)]
    public void The_flag_wins_over_the_variables()
    {
        var result = DryRun(new() { ["AWS_ENDPOINT_URL_CLOUDFORMATION"] = "http://127.0.0.1:9" }, "--aws-endpoint", moto.Endpoint);

        Assert.True(result.ExitCode == 0, result.Output);
    }

    [Fact]
    public void A_bad_variable_exits_2_with_one_sentence_naming_it()
    {
        var result = DryRun(new() { ["AWS_ENDPOINT_URL"] = "localhost:4566" });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("The environment variable AWS_ENDPOINT_URL (CloudFormation's endpoint, read as the AWS CLI reads it) is not an http or https URL", result.Output);
        Assert.DoesNotContain("   at ", result.Output);
    }

    public void Dispose() => _repository.Dispose();
}
