namespace CloudAge.Engine.Planning;

/// <summary>One target of a plan, in execution order, with why it will not run if it will not.</summary>
public sealed class PlannedTarget(ExecutableTarget target, bool invoked)
{
    public ExecutableTarget Target { get; } = target;
    public bool Invoked { get; } = invoked;
    public TargetStatus Status { get; set; } = TargetStatus.Scheduled;
    public string? Note { get; set; }
    /// <summary>Why the target failed, when it did.</summary>
    public Exception? Failure { get; set; }
    public TimeSpan Duration { get; set; }
    public IReadOnlyDictionary<string, string> Outputs { get; set; } = new Dictionary<string, string>();
    public string Name => Target.Name;
}

/// <summary>The planner's answer: the targets that take part in the run, in a valid order.</summary>
public sealed class ExecutionPlan(IReadOnlyList<ExecutableTarget> allTargets, IReadOnlyList<PlannedTarget> targets)
{
    public IReadOnlyList<ExecutableTarget> AllTargets { get; } = allTargets;
    public IReadOnlyList<PlannedTarget> Targets { get; } = targets;
    public PlannedTarget? Find(ExecutableTarget target) => Targets.FirstOrDefault(t => t.Target == target);
}
