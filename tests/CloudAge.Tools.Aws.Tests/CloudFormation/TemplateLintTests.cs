using CloudAge.Common.Processes;
using CloudAge.Common.Secrets;
using CloudAge.Testing;

namespace CloudAge.Tools.Aws.Tests.CloudFormation;

/// <summary>cfn-lint (AWS's CloudFormation linter, on the machine image; .ci/run checks for it) over every template in infra/.</summary>
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
}
