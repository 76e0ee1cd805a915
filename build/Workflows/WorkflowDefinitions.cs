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

/// <summary>
/// A secret or variable a generated workflow reads, where it must be stored and the workflows that read it.
/// <see cref="Where"/> is <c>repository</c>, or <c>environment NAME</c> when every job of the workflow runs in that
/// GitHub environment: then the value belongs to the environment, whose protection rules (deployment branches,
/// reviewers) guard it, and a repository value of the same name would only be a silent fallback.
/// </summary>
public sealed record WorkflowReference(string Name, ReferenceKind Kind, IReadOnlyList<string> Workflows)
{
    public const string Repository = "repository";
    public string Where { get; init; } = Repository;
}

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
public sealed class WorkflowDefinitionException : CloudAge.Common.Errors.ToolException
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
