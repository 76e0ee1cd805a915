namespace CloudAge.Engine.Planning;

/// <summary>A condition or requirement with the source text it was written as and, when given, the reason in words.</summary>
public sealed record Check(string Text, Func<bool> Evaluate, string? Reason = null)
{
    /// <summary>What the summary and the log say when the condition is false: the reason, else the code it was written as.</summary>
    public string WhenFalse(string kind) => Reason ?? $"{kind}: {Text} was false";
}

/// <summary>What a target's fluent declaration recorded; references to other targets are still delegates.</summary>
internal sealed class TargetDefinition : ITargetDefinition
{
    public string? DescriptionText { get; private set; }
    public List<Func<CancellationToken, Task>> Actions { get; } = [];
    public List<Target> DependsOnTargets { get; } = [];
    public List<Target> DependentForTargets { get; } = [];
    public List<Target> AfterTargets { get; } = [];
    public List<Target> BeforeTargets { get; } = [];
    public List<Target> TriggersTargets { get; } = [];
    public List<Target> TriggeredByTargets { get; } = [];
    public List<Check> StaticConditions { get; } = [];
    public List<Check> DynamicConditions { get; } = [];
    public List<(string Text, Func<object?> Value)> RequiredValues { get; } = [];
    public List<Check> RequiredConditions { get; } = [];
    public DependencyBehavior SkippedDependencies { get; private set; } = DependencyBehavior.Skip;
    public bool Proceed { get; private set; }
    public bool Assured { get; private set; }
    public bool IsUnlisted { get; private set; }
    public bool DryRun { get; private set; }

    public ITargetDefinition Description(string description) { DescriptionText = description; return this; }
    public ITargetDefinition Executes(Action action) { Actions.Add(_ => { action(); return Task.CompletedTask; }); return this; }
    public ITargetDefinition Executes(Func<Task> action) { Actions.Add(_ => action()); return this; }
    public ITargetDefinition Executes(Func<CancellationToken, Task> action) { Actions.Add(action); return this; }
    public ITargetDefinition DependsOn(params Target[] targets) { DependsOnTargets.AddRange(targets); return this; }
    public ITargetDefinition DependentFor(params Target[] targets) { DependentForTargets.AddRange(targets); return this; }
    public ITargetDefinition After(params Target[] targets) { AfterTargets.AddRange(targets); return this; }
    public ITargetDefinition Before(params Target[] targets) { BeforeTargets.AddRange(targets); return this; }
    public ITargetDefinition Triggers(params Target[] targets) { TriggersTargets.AddRange(targets); return this; }
    public ITargetDefinition TriggeredBy(params Target[] targets) { TriggeredByTargets.AddRange(targets); return this; }
    public ITargetDefinition OnlyWhenStatic(Func<bool> condition, string? reason = null, string expression = "") { StaticConditions.Add(new(Clean(expression), condition, reason)); return this; }
    public ITargetDefinition OnlyWhenDynamic(Func<bool> condition, string? reason = null, string expression = "") { DynamicConditions.Add(new(Clean(expression), condition, reason)); return this; }
    public ITargetDefinition WhenSkipped(DependencyBehavior behavior) { SkippedDependencies = behavior; return this; }
    public ITargetDefinition Requires(Func<object?> value, string expression = "") { RequiredValues.Add((Clean(expression), value)); return this; }
    public ITargetDefinition Requires(Func<bool> condition, string expression = "") { RequiredConditions.Add(new(Clean(expression), condition)); return this; }
    public ITargetDefinition ProceedAfterFailure() { Proceed = true; return this; }
    public ITargetDefinition AssuredAfterFailure() { Assured = true; return this; }
    public ITargetDefinition Unlisted() { IsUnlisted = true; return this; }
    public ITargetDefinition SupportsDryRun() { DryRun = true; return this; }

    // "() => Registry" reads better in messages as "Registry".
    internal static string Clean(string expression)
    {
        var text = expression.Trim();
        if (text.StartsWith("()", StringComparison.Ordinal) && text.IndexOf("=>", StringComparison.Ordinal) is var arrow and > 0)
            text = text[(arrow + 2)..].Trim();
        return text;
    }
}
