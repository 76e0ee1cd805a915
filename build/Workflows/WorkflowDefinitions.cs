using System.Reflection;

namespace CloudAge.Workflows;

/// <summary>A generated file, path relative to the repository root with forward slashes.</summary>
public sealed record GeneratedFile(string RelativePath, string Content);

/// <summary>What the build offers a workflow: its target names and its parameter names (null skips parameter checks).</summary>
public sealed record BuildSurface(IReadOnlyCollection<string> TargetNames, IReadOnlyCollection<string>? ParameterNames = null)
{
    /// <summary>Where the attributes are written, as the header of each file and every error name it (the build
    /// passes the file that holds them); this project knows no build's layout.</summary>
    public string Source { get; init; } = DefaultSource;

    public const string DefaultSource = "the build's GitHubWorkflow attributes";
}

public enum ReferenceKind
{
    Secret,
    Variable,
}

/// <summary>A secret or repository variable a generated workflow reads, and the workflows that read it.</summary>
public sealed record WorkflowReference(string Name, ReferenceKind Kind, IReadOnlyList<string> Workflows);

/// <summary>The workflow, job and input attributes of a build, read from its class or listed by hand in tests.</summary>
public sealed record WorkflowDefinitions(
    IReadOnlyList<GitHubWorkflowAttribute> Workflows,
    IReadOnlyList<GitHubWorkflowJobAttribute> Jobs,
    IReadOnlyList<GitHubWorkflowInputAttribute> Inputs)
{
    public static WorkflowDefinitions FromType(Type buildType)
    {
        ArgumentNullException.ThrowIfNull(buildType);
        return new WorkflowDefinitions(
            buildType.GetCustomAttributes<GitHubWorkflowAttribute>(inherit: false).ToList(),
            buildType.GetCustomAttributes<GitHubWorkflowJobAttribute>(inherit: false).ToList(),
            buildType.GetCustomAttributes<GitHubWorkflowInputAttribute>(inherit: false).ToList());
    }
}

/// <summary>Attributes that describe no valid workflow; the message lists every problem at once.</summary>
public sealed class WorkflowDefinitionException : Exception
{
    public WorkflowDefinitionException(IReadOnlyList<string> problems, string source = BuildSurface.DefaultSource)
        : base(Format(problems, source)) => Problems = problems;

    public WorkflowDefinitionException() : this([]) { }
    public WorkflowDefinitionException(string message) : base(message) => Problems = [message];
    public WorkflowDefinitionException(string message, Exception innerException) : base(message, innerException) => Problems = [message];

    public IReadOnlyList<string> Problems { get; } = [];

    private static string Format(IReadOnlyList<string> problems, string source) =>
        $"The GitHub workflow attributes describe no valid workflow ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}); " +
        $"fix them in {source}:" + string.Concat(problems.Select(p => Environment.NewLine + "  - " + p));
}
