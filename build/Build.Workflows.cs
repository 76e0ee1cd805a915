using CloudAge.Engine;
using CloudAge.Engine.Parameters;
using CloudAge.Workflows;

namespace CloudAge.Build;

public sealed partial class Build
{
    Target GenerateWorkflows => _ => _
        .Description("Writes .github/workflows/*.yml from the attributes in build/Build.CI.GitHubActions.cs")
        .Executes(() => WorkflowFiles.Write(RootDirectory, GeneratedWorkflows(), Log.Information));

    /// <summary>The workflow files the attributes generate; public so the repository tests check the real class.</summary>
    public IReadOnlyList<GeneratedFile> GeneratedWorkflows() =>
        WorkflowGenerator.Generate(GetType(), new BuildSurface(TargetNames, ParameterDescriptor.For(GetType()).Select(p => p.CommandLineName).ToList()) { Source = WorkflowSource });

    // Named in each generated file's header and in every error, so a reader knows where to edit.
    const string WorkflowSource = "build/Build.CI.GitHubActions.cs";

    /// <summary>Reports every committed workflow that differs from what the attributes generate; returns how many.</summary>
    int CheckWorkflowDrift()
    {
        var findings = WorkflowDrift.Check(RootDirectory, GeneratedWorkflows());
        if (findings.Count > 0)
            Log.Error(WorkflowDrift.Describe(findings, WorkflowSource));
        return findings.Count;
    }
}
