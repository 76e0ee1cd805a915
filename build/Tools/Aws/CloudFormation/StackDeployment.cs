namespace CloudAge.Tools.Aws.CloudFormation;

/// <summary>What to deploy: a stack name, its template and the parameter values to set.</summary>
public sealed record StackDeployment(string StackName, string TemplateBody, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>The template names its IAM roles, which CloudFormation only accepts with CAPABILITY_NAMED_IAM.</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = ["CAPABILITY_NAMED_IAM"];

    /// <summary>Create the change set, print it, delete it: nothing in the account changes.</summary>
    public bool DryRun { get; init; }

    /// <summary>How long the change set and the stack may take before the deployment gives up waiting.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Where each of <see cref="Parameters"/> came from, as the user wrote it (<c>"Key" in infra/parameters.json</c>,
    /// <c>--stack-parameters</c>), so a key the template does not declare is named where it can be fixed.
    /// </summary>
    public IReadOnlyDictionary<string, string> ParameterSources { get; init; } = new Dictionary<string, string>();
}

public enum DeploymentOutcome
{
    Created,
    Updated,
    NoChanges,
    DryRun,
}

/// <summary>How a deployment ended; <see cref="Stack"/> is the stack afterwards (null after a dry run of a new stack).</summary>
public sealed record DeploymentResult(DeploymentOutcome Outcome, ChangeSetSummary? ChangeSet, StackSummary? Stack);

/// <summary>
/// The parameter values do not fit the template (a key it does not declare, a required one without a value): a bad
/// input, exit code 2, found before anything is created.
/// </summary>
public sealed class StackParameterException : CloudAge.Common.Errors.InputException
{
    public StackParameterException() { }

    public StackParameterException(string message) : base(message) { }

    public StackParameterException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>The stack failed or cannot be deployed; <see cref="FailedEvents"/> holds the events that say why, oldest first.</summary>
public sealed class StackDeploymentException : CloudAge.Common.Errors.ToolException
{
    public StackDeploymentException() { }

    public StackDeploymentException(string message) : base(message) { }

    public StackDeploymentException(string message, Exception innerException) : base(message, innerException) { }

    public StackDeploymentException(string message, IReadOnlyList<StackEvent> failedEvents) : base(message) => FailedEvents = failedEvents;

    public IReadOnlyList<StackEvent> FailedEvents { get; } = [];
}
