using CloudAge.Testing;
using CloudAge.Workflows.Tests.Fixtures;

namespace CloudAge.Workflows.Tests;

public class ActionlintTests
{
    [IntegrationFact(Needs.Actionlint)]
    public async Task The_sample_builds_workflows_have_no_actionlint_findings()
    {
        var files = WorkflowGenerator.Generate(typeof(SampleBuild), SampleBuild.Surface);

        var findings = await Actionlint.FindingsAsync(files);

        Assert.True(findings.Count == 0, "actionlint findings:\n" + string.Join('\n', findings));
    }

    // The repository's committed workflows, as files: that they are what build/Build.CI.GitHubActions.cs generates is
    // checked on the real class in tests/CloudAge.Build.Tests; here they go through actionlint like any output.
    [IntegrationFact(Needs.Actionlint)]
    public async Task The_committed_workflows_have_no_actionlint_findings()
    {
        var directory = Path.Combine(Prerequisites.RepositoryRoot(), ".github", "workflows");
        var files = Directory.GetFiles(directory, "*.yml").Order(StringComparer.Ordinal)
            .Select(f => new GeneratedFile(".github/workflows/" + Path.GetFileName(f), File.ReadAllText(f))).ToList();

        var findings = await Actionlint.FindingsAsync(files);

        Assert.NotEmpty(files);
        Assert.True(findings.Count == 0, "actionlint findings:\n" + string.Join('\n', findings));
    }

    [IntegrationFact(Needs.Actionlint)]
    public async Task Every_attribute_combination_generates_workflows_without_actionlint_findings()
    {
        var files = Combinations.All.SelectMany(c => WorkflowGenerator.Generate(c.Value, Combinations.Surface)
            .Select(f => f with { RelativePath = c.Key + "/" + f.RelativePath })).ToList();

        var findings = await Actionlint.FindingsAsync(files);

        Assert.Equal(6, files.Count);
        Assert.True(findings.Count == 0, "actionlint findings:\n" + string.Join('\n', findings));
    }

    [IntegrationFact(Needs.Actionlint)]
    public async Task Actionlint_1_7_7_reports_broken_workflows_and_knows_the_vars_context()
    {
        var broken = new GeneratedFile("broken.yml", """
            on: push
            permissions:
              contents: writ
            jobs:
              a:
                runs-on: ubuntu-latest
                steps:
                  - run: echo ${{ steps.missing.outputs.x }}
                  - run: echo ${{ vars.REGION }}
            """);

        var findings = await Actionlint.LintAsync([broken]);

        Assert.Equal("1.7.7", Actionlint.BundledVersion());
        Assert.Contains(findings, f => f.Kind == "permissions" && f.Line == 3 && f.File == "broken.yml");
        Assert.Contains(findings, f => f.Kind == "expression" && f.Line == 8);
        Assert.DoesNotContain(findings, f => f.Line == 9);
    }
}
