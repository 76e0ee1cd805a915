using System.Text.RegularExpressions;
using CloudAge.Engine.Execution;
using CloudAge.Engine.Parameters;
using CloudAge.Testing;
using CloudAge.Build.Tests.Fixtures;
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

    // The "Depends on" column names a target's DependsOn targets first; what follows in parentheses (ordering,
    // triggers) is prose. The graph is read from --help, as a user sees it ("PushEcr -> Sbom, Scan").
    [Fact]
    public void The_readme_targets_table_names_each_targets_direct_dependencies_and_the_default()
    {
        var help = PrintHelp().Split('\n').TakeWhile(l => !l.StartsWith("Parameters", StringComparison.Ordinal))
            .Select(l => HelpTargetLine().Match(l)).Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value, m => (Default: m.Groups[2].Success, DependsOn: Names(m.Groups[3].Value)));

        foreach (var row in TableRows("Targets"))
        {
            var name = Code().Match(row[0]).Groups[1].Value;
            var documented = Names(row[1].Split('(')[0]);
            Assert.True(help.TryGetValue(name, out var actual), $"--help does not list README's target {name}");
            Assert.True(actual.DependsOn.SetEquals(documented),
                $"README's Targets table says {name} depends on [{string.Join(", ", documented.Order())}]; the build says [{string.Join(", ", actual.DependsOn.Order())}]");
            Assert.True(actual.Default == row[0].Contains("(default)", StringComparison.Ordinal), $"README's Targets table marks the default target wrongly at {name}");
        }

        static HashSet<string> Names(string list) => list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet();
    }

    // A default that is a value (not prose such as "from git") is the property's initial value, as a user would type it.
    [Fact]
    public void The_readme_parameters_table_shows_each_literal_default_the_build_has()
    {
        var documented = TableRows("Parameters").ToDictionary(r => Code().Match(r[0]).Groups[1].Value.TrimStart('-'), r => r[2]);
        var fresh = new Build();

        Assert.All(ParameterDescriptor.For(typeof(Build)), p =>
        {
            var value = p.GetValue(fresh) switch
            {
                null or "" or string[] { Length: 0 } => null,
                bool b => b ? "true" : "false",
                Enum e => e.ToString(),
                TimeSpan t => t.Ticks % TimeSpan.TicksPerHour == 0 ? $"{(long)t.TotalHours}h" : $"{(long)t.TotalMinutes}m",
                string[] list => string.Join(',', list),
                var other => Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture),
            };
            if (value is null)
                return;
            var cell = documented[p.CommandLineName];
            // Enum values convert ignoring case (Release, mutable): the table may spell them either way.
            Assert.True(string.Equals(cell, $"`{value}`", p.Type.IsEnum ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal), $"README's Parameters table gives --{p.CommandLineName} the default {cell}; the build's is `{value}`");
        });
    }

    internal static string PrintHelp()
    {
        var temp = Directory.CreateTempSubdirectory("cloudage-help-").FullName;
        try
        {
            var output = new StringWriter();
            var exitCode = BuildRunner.Run(new Build(), ["--help", "--root", temp, "--no-logo"],
                new RunContext(new Dictionary<string, string> { ["NO_COLOR"] = "1" }, output, temp), ["Compile"]);
            Assert.Equal(0, exitCode);
            return output.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    [Fact]
    public void The_readme_help_and_plan_samples_are_what_the_build_prints()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var temp = Directory.CreateTempSubdirectory("cloudage-samples-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(temp, ".nuke"));
            string Print(params string[] arguments)
            {
                var output = new StringWriter();
                var exitCode = BuildRunner.Run(new Build(), [.. arguments, "--root", temp, "--no-logo"],
                    new RunContext(new Dictionary<string, string> { ["NO_COLOR"] = "1" }, output, temp), ["Compile"]);
                Assert.Equal(0, exitCode);
                return output.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
            }

            // The --help sample is an excerpt ("..." marks what it leaves out); every line it shows is printed as shown.
            var help = Print("--help").Split('\n').Select(l => l.TrimEnd()).ToHashSet();
            Assert.All(Sample(readme, "$ ./build.sh --help").Where(l => l.Trim() != "..."), line => Assert.Contains(line, help));
            // The --plan sample is whole.
            Assert.Equal(string.Join('\n', Sample(readme, "$ ./build.sh --plan PushEcr")), Print("--plan", "PushEcr").TrimEnd('\n'));
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }

        static List<string> Sample(string readme, string command)
        {
            var start = readme.IndexOf("```\n" + command + "\n", StringComparison.Ordinal);
            Assert.True(start >= 0, $"README has no sample of '{command}'");
            start += 4 + command.Length + 1;
            return readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)].TrimEnd('\n').Split('\n').ToList();
        }
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

    // CloudAge's own workflow attributes are tested here, once, on the real class; the generator's tests in
    // tests/CloudAge.Workflows.Tests work on a sample of their own.
    [Fact]
    public void The_committed_workflows_are_what_the_attributes_generate()
    {
        var generated = TheBuild.GeneratedWorkflows();
        var drift = WorkflowDrift.Check(Root, generated);

        Assert.True(drift.Count == 0, WorkflowDrift.Describe(drift, "build/Build.CI.GitHubActions.cs"));
        Assert.Equal([".github/workflows/build-and-push.yml", ".github/workflows/deploy.yml", ".github/workflows/pull-request.yml"], generated.Select(f => f.RelativePath));
        Assert.All(generated, f => Assert.Contains("from build/Build.CI.GitHubActions.cs; do not edit.", f.Content));
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
    public void The_secrets_doc_table_lists_exactly_what_the_real_workflows_read()
    {
        var referenced = WorkflowGenerator.ReferencedSecretsAndVariables(WorkflowDefinitions.FromType(typeof(Build)));

        var documented = SecretsDoc.ReadTable(File.ReadAllText(SecretsDoc.Path));

        var missing = referenced.Select(SecretsDoc.Describe).Except(documented.Select(SecretsDoc.Describe)).ToList();
        var extra = documented.Select(SecretsDoc.Describe).Except(referenced.Select(SecretsDoc.Describe)).ToList();
        Assert.True(missing.Count + extra.Count == 0,
            $"docs/github-secrets.md is out of date.\nAdd rows for: {string.Join("; ", missing)}\nRemove or fix rows for: {string.Join("; ", extra)}");
        Assert.Equal(documented.Count, documented.Select(d => (d.Name, d.Where)).Distinct().Count());
    }

    [Fact]
    public void Deploy_is_never_started_by_a_push_and_argocd_or_docs_changes_start_no_build()
    {
        var deploy = WorkflowDefinitions.FromType(typeof(Build)).Workflows.Single(w => w.Name == "deploy");
        var buildAndPush = WorkflowDefinitions.FromType(typeof(Build)).Workflows.Single(w => w.Name == "build-and-push");

        Assert.False(TriggerCheck.OnPush(deploy, new SimulatedPush("main", ["app/Program.cs"], "change")).Triggers);
        var argoOnly = TriggerCheck.OnPush(buildAndPush, new SimulatedPush("main", ["argocd/application.yaml", "docs/eks-setup.md"], "docs"));
        Assert.False(argoOnly.Triggers, argoOnly.Reason);
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Code();

    [GeneratedRegex(@"^  (\w+)( \(default\))?(?: -> (.+))?$")]
    private static partial Regex HelpTargetLine();
}
