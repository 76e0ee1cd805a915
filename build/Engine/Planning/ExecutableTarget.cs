namespace CloudAge.Engine.Planning;

/// <summary>Where a target stands in a run; the names are NUKE's.</summary>
public enum TargetStatus
{
    Scheduled,
    NotRun,
    Skipped,
    Succeeded,
    Failed,
    Running,
    Aborted,
    /// <summary>A target with no actions of its own: it only groups its dependencies.</summary>
    Collective,
}

/// <summary>A target with its references resolved to other targets: a node of the graph the planner works on.</summary>
public sealed class ExecutableTarget(string name, int index)
{
    public string Name { get; } = name;
    /// <summary>Declaration order; breaks ties so plans are deterministic.</summary>
    public int Index { get; } = index;
    public string? Description { get; init; }
    public bool IsDefault { get; set; }
    public bool IsUnlisted { get; init; }
    public bool SupportsDryRun { get; init; }
    public IReadOnlyList<Func<CancellationToken, Task>> Actions { get; init; } = [];
    /// <summary>Targets this one needs, from DependsOn and from the others' DependentFor.</summary>
    public List<ExecutableTarget> ExecutionDependencies { get; } = [];
    /// <summary>Targets this one runs after when both are scheduled, from After and the others' Before.</summary>
    public List<ExecutableTarget> OrderDependencies { get; } = [];
    /// <summary>Targets appended after this one, from Triggers and the others' TriggeredBy.</summary>
    public List<ExecutableTarget> Triggers { get; } = [];
    public IReadOnlyList<Check> StaticConditions { get; init; } = [];
    public IReadOnlyList<Check> DynamicConditions { get; init; } = [];
    public IReadOnlyList<(string Text, Func<object?> Value)> RequiredValues { get; init; } = [];
    public IReadOnlyList<Check> RequiredConditions { get; init; } = [];
    public DependencyBehavior SkippedDependencies { get; init; } = DependencyBehavior.Skip;
    public bool ProceedAfterFailure { get; init; }
    public bool AssuredAfterFailure { get; init; }

    public override string ToString() => Name;
}
