namespace CloudAge.Workflows;

/// <summary>A <c>workflow_dispatch</c> input of a workflow that has <see cref="GitHubWorkflowAttribute.OnWorkflowDispatch"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GitHubWorkflowInputAttribute(string workflow, string name) : Attribute
{
    public string Workflow { get; } = workflow;
    public string Name { get; } = name;
    public string Description { get; set; } = string.Empty;
    public bool Required { get; set; }
    public string? Default { get; set; }
    /// <summary><c>string</c> or <c>boolean</c> (a checkbox; <see cref="Default"/> then is <c>true</c> or <c>false</c>).</summary>
    public string Type { get; set; } = "string";
}
