namespace CloudAge.Tools.Aws.CloudFormation;

/// <summary>A stack as DescribeStacks reports it.</summary>
public sealed record StackSummary(string Name, string Id, string Status, string? StatusReason,
    IReadOnlyDictionary<string, string> Parameters, IReadOnlyDictionary<string, string> Outputs)
{
    public bool IsInProgress => Status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal);
}

/// <summary>One resource a change set adds, modifies or removes.</summary>
/// <param name="Replacement">True, False or Conditional for a Modify; empty otherwise.</param>
public sealed record ResourceChange(string Action, string LogicalId, string ResourceType, string? PhysicalId, string? Replacement);

/// <summary>A change set as DescribeChangeSet reports it (all pages of changes).</summary>
public sealed record ChangeSetSummary(string Id, string Name, string Status, string ExecutionStatus, string? StatusReason,
    IReadOnlyList<ResourceChange> Changes)
{
    /// <summary>CloudFormation's way of saying the template and parameters match the stack: the change set FAILED with this reason.</summary>
    public bool HasNoChanges => Status == "FAILED" && StatusReason is { } reason &&
        (reason.Contains("didn't contain changes", StringComparison.Ordinal) || reason.Contains("No updates are to be performed", StringComparison.Ordinal));
}

/// <summary>One line of DescribeStackEvents.</summary>
public sealed record StackEvent(string EventId, DateTimeOffset Timestamp, string LogicalId, string ResourceType, string Status, string? StatusReason)
{
    public bool IsFailure => Status.EndsWith("_FAILED", StringComparison.Ordinal);

    /// <summary>
    /// Once one resource fails, CloudFormation cancels the others in flight; their FAILED events say only
    /// "Resource creation cancelled" (or "update"), never why.
    /// </summary>
    public bool IsCancellation => StatusReason is { } reason &&
        (reason.StartsWith("Resource creation cancelled", StringComparison.Ordinal) || reason.StartsWith("Resource update cancelled", StringComparison.Ordinal));
}

/// <summary>
/// A template parameter value; <see cref="UsePreviousValue"/> keeps what the stack has. <see cref="NoEcho"/>: the template
/// declares it NoEcho, so its value is a secret of the run (masked wherever it would be printed).
/// </summary>
public sealed record StackParameter(string Key, string? Value, bool UsePreviousValue = false, bool NoEcho = false);

/// <summary>A parameter the template declares; <see cref="NoEcho"/> as GetTemplateSummary reports it.</summary>
public sealed record TemplateParameter(string Key, bool HasDefault, bool NoEcho = false);
