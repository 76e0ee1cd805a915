using System.Text.RegularExpressions;
using CloudAge.Testing;
using CloudAge.Workflows.Tests.Fixtures;

namespace CloudAge.Workflows.Tests;

public partial class SecretsDocTests
{
    [Fact]
    public void The_secrets_doc_lists_exactly_what_CloudAges_workflows_read()
    {
        var referenced = WorkflowGenerator.ReferencedSecretsAndVariables(WorkflowDefinitions.FromType(typeof(Build)));

        var documented = SecretsDoc.ReadTable(File.ReadAllText(SecretsDoc.Path));

        var missing = referenced.Select(SecretsDoc.Describe).Except(documented.Select(SecretsDoc.Describe)).ToList();
        var extra = documented.Select(SecretsDoc.Describe).Except(referenced.Select(SecretsDoc.Describe)).ToList();
        Assert.True(missing.Count + extra.Count == 0,
            $"docs/github-secrets.md is out of date.\nAdd rows for: {string.Join("; ", missing)}\nRemove or fix rows for: {string.Join("; ", extra)}");
        Assert.Equal(documented.Count, documented.Select(d => d.Name).Distinct().Count());
    }

    [Fact]
    public void Referenced_secrets_and_variables_come_from_imports_and_aws_authentication()
    {
        var referenced = WorkflowGenerator.ReferencedSecretsAndVariables(Combinations.All["multi-job"]);

        Assert.Equal(
            ["AWS_ROLE_ARN (secret; ci)", "ECR_REPOSITORY (variable; ci)", "REGION (variable; ci)", "SLACK_WEBHOOK_URL (secret; ci)"],
            referenced.Select(SecretsDoc.Describe));
    }

    [Fact]
    public void Every_secret_and_variable_in_the_generated_yaml_is_among_the_referenced_ones()
    {
        var definitions = WorkflowDefinitions.FromType(typeof(Build));
        var yaml = string.Concat(WorkflowGenerator.Generate(definitions, Build.Surface).Select(f => f.Content));

        var inYaml = ContextReference().Matches(yaml).Select(m => m.Groups[2].Value + (m.Groups[1].Value == "secrets" ? " (secret)" : " (variable)")).Distinct().Order();
        var referenced = WorkflowGenerator.ReferencedSecretsAndVariables(definitions).Select(r => r.Name + (r.Kind == ReferenceKind.Secret ? " (secret)" : " (variable)")).Order();

        Assert.Equal(referenced, inYaml);
    }

    // Once the lead has generated .github/workflows from build/Build.CI.GitHubActions.cs, the committed files
    // must be the snapshots of this project's sample; so the sample, the doc test and the real workflows agree.
    [CommittedWorkflowsFact]
    public void Committed_workflows_are_the_sample_this_project_tests()
    {
        var root = Prerequisites.RepositoryRoot();

        var drift = WorkflowDrift.Check(root, WorkflowGenerator.Generate(typeof(Build), Build.Surface));

        Assert.True(drift.Count == 0, "The committed workflows differ from the attributes in tests/CloudAge.Workflows.Tests/Fixtures/Build.cs; " +
            "keep that block identical to build/Build.CI.GitHubActions.cs.\n" + WorkflowDrift.Describe(drift));
    }

    [GeneratedRegex(@"\b(secrets|vars)\.([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex ContextReference();
}
