using System.Text.RegularExpressions;
using CloudAge.Engine.Execution;
using CloudAge.Engine.Parameters;
using CloudAge.Testing;
using CloudAge.Workflows;

namespace CloudAge.Build.Tests;

/// <summary>What the repository says about the build (README tables, schema, workflows, docs) stays true to the code.</summary>
public sealed partial class RepositoryConsistencyTests
{
    private static readonly string Root = Prerequisites.RepositoryRoot();
    private static readonly Build TheBuild = new();

    private static List<string[]> TableRows(string heading)
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        var section = readme[readme.IndexOf("## " + heading + "\n", StringComparison.Ordinal)..];
        section = section[(section.IndexOf('\n') + 1)..];
        section = section[..section.IndexOf("\n## ", StringComparison.Ordinal)];
        return section.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries)[1..^1]).ToList();
    }

    [Fact]
    public void The_readme_targets_table_lists_exactly_the_builds_targets()
    {
        var documented = TableRows("Targets").Select(r => Code().Match(r[0]).Groups[1].Value).ToList();

        Assert.Equal(TheBuild.TargetNames.OrderBy(n => n), documented.OrderBy(n => n));
    }

    [Fact]
    public void The_readme_parameters_table_lists_every_parameter_with_its_environment_variable()
    {
        var documented = TableRows("Parameters").ToDictionary(r => Code().Match(r[0]).Groups[1].Value.TrimStart('-'), r => Code().Match(r[1]).Groups[1].Value);
        var parameters = ParameterDescriptor.For(typeof(Build));

        Assert.Equal(parameters.Select(p => p.CommandLineName).OrderBy(n => n), documented.Keys.OrderBy(n => n));
        Assert.All(parameters, p => Assert.Equal(p.EnvironmentName, documented[p.CommandLineName]));
        Assert.All(parameters.Where(p => p.IsSecret), p => Assert.Contains(TableRows("Parameters"), r => r[0] == $"`--{p.CommandLineName}` (secret)"));
    }

    [Fact]
    public void The_committed_parameter_schema_is_what_the_build_generates()
    {
        var temp = Directory.CreateTempSubdirectory("cloudage-schema-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(temp, ".nuke"));
            var exitCode = BuildRunner.Run(new Build(), ["--write-schema", "--root", temp], new RunContext(new Dictionary<string, string>(), TextWriter.Null, temp), ["Compile"]);

            Assert.Equal(0, exitCode);
            Assert.Equal(File.ReadAllText(Path.Combine(Root, ".nuke", "build.schema.json")), File.ReadAllText(Path.Combine(temp, ".nuke", "build.schema.json")));
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    private static IReadOnlyList<GeneratedFile> Generated() =>
        WorkflowGenerator.Generate(typeof(Build), new BuildSurface(TheBuild.TargetNames, ParameterDescriptor.For(typeof(Build)).Select(p => p.CommandLineName).ToList()));

    [Fact]
    public void The_committed_workflows_are_what_the_attributes_generate()
    {
        var drift = WorkflowDrift.Check(Root, Generated());

        Assert.True(drift.Count == 0, WorkflowDrift.Describe(drift));
    }

    [Fact]
    public void A_tag_bump_commit_starts_no_build_and_push_run_but_an_app_change_does()
    {
        var buildAndPush = WorkflowDefinitions.FromType(typeof(Build)).Workflows.Single(w => w.Name == "build-and-push");

        var bump = TriggerCheck.OnPush(buildAndPush, new SimulatedPush("main", ["k8s/deployment.yaml"], "Deploy 123456789012.dkr.ecr.us-east-1.amazonaws.com/cloudage:sha-abc1234 [skip ci]"));
        var bumpWithoutMarker = TriggerCheck.OnPush(buildAndPush, new SimulatedPush("main", ["k8s/deployment.yaml"], "Deploy cloudage:sha-abc1234"));
        var change = TriggerCheck.OnPush(buildAndPush, new SimulatedPush("main", ["app/Program.cs"], "Answer faster"));

        Assert.False(bump.Triggers, bump.Reason);
        Assert.False(bumpWithoutMarker.Triggers, bumpWithoutMarker.Reason);
        Assert.True(change.Triggers, change.Reason);
    }

    [Fact]
    public void The_secrets_doc_names_every_secret_and_variable_the_real_workflows_read()
    {
        var doc = File.ReadAllText(Path.Combine(Root, "docs", "github-secrets.md"));

        var missing = WorkflowGenerator.ReferencedSecretsAndVariables(WorkflowDefinitions.FromType(typeof(Build)))
            .Where(r => !doc.Contains($"`{r.Name}`", StringComparison.Ordinal)).Select(r => r.Name).ToList();

        Assert.Empty(missing);
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Code();
}
