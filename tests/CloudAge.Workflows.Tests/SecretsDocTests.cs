using System.Text.RegularExpressions;
using CloudAge.Workflows.Tests.Fixtures;

namespace CloudAge.Workflows.Tests;

// What the generator says a build's workflows read; that docs/github-secrets.md matches CloudAge's own workflows is
// checked with the real build class in tests/CloudAge.Build.Tests (RepositoryConsistencyTests).
public partial class SecretsDocTests
{
    private static string Describe(WorkflowReference r) => $"{r.Name} ({r.Kind.ToString().ToLowerInvariant()}; {string.Join(", ", r.Workflows)})";

    [Fact]
    public void Referenced_secrets_and_variables_come_from_imports_and_aws_authentication()
    {
        var referenced = WorkflowGenerator.ReferencedSecretsAndVariables(Combinations.All["multi-job"]);

        Assert.Equal(
            ["AWS_ROLE_ARN (secret; ci)", "ECR_REPOSITORY (variable; ci)", "REGION (variable; ci)", "SLACK_WEBHOOK_URL (secret; ci)"],
            referenced.Select(Describe));
    }

    [Fact]
    public void Every_secret_and_variable_in_the_generated_yaml_is_among_the_referenced_ones()
    {
        var definitions = WorkflowDefinitions.FromType(typeof(SampleBuild));
        var yaml = string.Concat(WorkflowGenerator.Generate(definitions, SampleBuild.Surface).Select(f => f.Content));

        var inYaml = ContextReference().Matches(yaml).Select(m => m.Groups[2].Value + (m.Groups[1].Value == "secrets" ? " (secret)" : " (variable)")).Distinct().Order();
        var referenced = WorkflowGenerator.ReferencedSecretsAndVariables(definitions).Select(r => r.Name + (r.Kind == ReferenceKind.Secret ? " (secret)" : " (variable)")).Distinct().Order();

        Assert.Equal(referenced, inYaml);
        Assert.Contains("FEED_TOKEN (secret)", inYaml);
    }

    [GeneratedRegex(@"\b(secrets|vars)\.([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex ContextReference();
}
