using CloudAge.Engine;
using CloudAge.Engine.Parameters;
using CloudAge.Workflows;

namespace CloudAge.Build;

public sealed partial class Build
{
    Target GenerateWorkflows => _ => _
        .Description("Writes .github/workflows/*.yml from the attributes in build/Build.CI.GitHubActions.cs")
        .Executes(() => WorkflowFiles.Write(RootDirectory, GeneratedWorkflows(), Log.Information));

    IReadOnlyList<GeneratedFile> GeneratedWorkflows() =>
        WorkflowGenerator.Generate(GetType(), new BuildSurface(TargetNames, ParameterDescriptor.For(GetType()).Select(p => p.CommandLineName).ToList()));

    /// <summary>Reports every committed workflow that differs from what the attributes generate; returns how many.</summary>
    int CheckWorkflowDrift()
    {
        var findings = WorkflowDrift.Check(RootDirectory, GeneratedWorkflows());
        if (findings.Count > 0)
            Log.Error(WorkflowDrift.Describe(findings));
        return findings.Count;
    }
}
