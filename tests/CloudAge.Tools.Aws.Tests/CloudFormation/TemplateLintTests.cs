using CloudAge.Common.Processes;
using CloudAge.Common.Secrets;
using CloudAge.Testing;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Aws.Tests.CloudFormation;

/// <summary>
/// cfn-lint (AWS's CloudFormation linter, on the machine image; .ci/run checks for it) over every template in infra/, and
/// the settings of infra/cloudage.yaml that neither cfn-lint nor moto can judge.
/// </summary>
public sealed class TemplateLintTests
{
    private static readonly string Root = Prerequisites.RepositoryRoot();

    private static async Task<ProcessResult> LintAsync(params string[] files)
    {
        var runner = new ProcessRunner(new SecretMasker(), _ => { });
        return await runner.RunAsync(new ProcessSpec("cfn-lint", ["--format", "parseable", .. files]) { StreamOutput = false, ThrowOnFailure = false, WorkingDirectory = Root });
    }

    [Fact]
    public async Task Every_template_in_infra_is_cfn_lint_clean()
    {
        var templates = Directory.GetFiles(Path.Combine(Root, "infra"), "*.yaml").Select(f => Path.GetRelativePath(Root, f)).ToArray();
        Assert.NotEmpty(templates);

        var result = await LintAsync(templates);

        Assert.True(result.ExitCode == 0, $"cfn-lint exit {result.ExitCode}:\n{result.StandardOutput}{result.StandardError}");
    }

    [Fact]
    public async Task The_lint_catches_a_broken_template()
    {
        var file = Path.Combine(Path.GetTempPath(), $"cloudage-broken-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, "Resources:\n  Table:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n      PointInTimeRecoveryEnabled: true\n" +
            "      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n      KeySchema: [{AttributeName: id, KeyType: HASH}]\n");
        try
        {
            var result = await LintAsync(file);

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("PointInTimeRecoveryEnabled", result.StandardOutput);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("GitHubPushRole")]
    [InlineData("GitHubDeployRole")]
    public async Task A_GitHub_role_is_created_after_the_OIDC_provider_the_stack_makes(string role)
    {
        // IAM refuses a trust policy naming an OIDC provider that does not exist yet, and the roles' Federated ARN is
        // built, not read, so only their Metadata's Ref orders them. cfn-lint's template graph is CloudFormation's
        // implicit dependencies (Ref, GetAtt, Sub anywhere in a resource): asked here, not a copy of the rule.
        const string script = """
            import sys, cfnlint.decode, cfnlint.template
            template, matches = cfnlint.decode.decode(sys.argv[1])
            graph = cfnlint.template.Template(sys.argv[1], template, ["us-east-1"]).graph.graph
            for source, target in graph.edges():
                print(f"{source} -> {target}")
            """;
        var runner = new ProcessRunner(new SecretMasker(), _ => { });

        var result = await runner.RunAsync(new ProcessSpec("python3", ["-c", script, Path.Combine("infra", "cloudage.yaml")]) { StreamOutput = false, ThrowOnFailure = false, WorkingDirectory = Root });

        Assert.True(result.ExitCode == 0, $"python3 (cfn-lint's graph) exit {result.ExitCode}:\n{result.StandardError}");
        Assert.Contains($"{role} -> GitHubOidcProvider", result.StandardOutput.Split('\n'));
    }

    [Theory]
    [InlineData("AssignmentsTable")]
    [InlineData("AssetsBucket")]
    public void The_data_is_kept_on_deletion_and_replacement_but_not_after_a_failed_first_create(string resource)
    {
        // Retain would also keep them when the first create rolls back, and the rerun would fail on "already exists".
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(Root, "infra", "cloudage.yaml"))));
        var resources = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["Resources"];
        var node = (YamlMappingNode)resources[resource];

        Assert.Equal("RetainExceptOnCreate", ((YamlScalarNode)node["DeletionPolicy"]).Value);
        Assert.Equal("Retain", ((YamlScalarNode)node["UpdateReplacePolicy"]).Value);
    }
}
