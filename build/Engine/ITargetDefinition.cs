using System.Runtime.CompilerServices;

namespace CloudAge.Engine;

/// <summary>The fluent surface a target is declared with; every method returns the same definition.</summary>
public interface ITargetDefinition
{
    ITargetDefinition Description(string description);
    ITargetDefinition Executes(Action action);
    ITargetDefinition Executes(Func<Task> action);
    ITargetDefinition Executes(Func<CancellationToken, Task> action);

    /// <summary>Execution dependencies: the targets are pulled into the plan and run first.</summary>
    ITargetDefinition DependsOn(params Target[] targets);
    /// <summary>Reverse execution dependency: this target is pulled in by, and runs before, the given ones.</summary>
    ITargetDefinition DependentFor(params Target[] targets);
    /// <summary>Ordering only: when both are scheduled, this runs after the given targets.</summary>
    ITargetDefinition After(params Target[] targets);
    /// <summary>Ordering only: when both are scheduled, this runs before the given targets.</summary>
    ITargetDefinition Before(params Target[] targets);
    /// <summary>The given targets are appended to the plan and run after this one.</summary>
    ITargetDefinition Triggers(params Target[] targets);
    /// <summary>This target is appended to the plan after any of the given ones.</summary>
    ITargetDefinition TriggeredBy(params Target[] targets);

    /// <summary>Evaluated for the whole plan before anything runs; false skips the target (and, by default, its dependencies).</summary>
    /// <param name="condition">True when the target should run.</param>
    /// <param name="reason">Why the target is skipped when the condition is false, as the user reads it in the log and
    /// the summary ("Trivy is not the chosen scanner"); without it they see the condition's code.</param>
    /// <param name="expression">Filled in by the compiler.</param>
    ITargetDefinition OnlyWhenStatic(Func<bool> condition, string? reason = null, [CallerArgumentExpression(nameof(condition))] string expression = "");
    /// <summary>Evaluated just before the target runs; false skips it.</summary>
    /// <param name="condition">True when the target should run.</param>
    /// <param name="reason">Why the target is skipped when the condition is false, in words.</param>
    /// <param name="expression">Filled in by the compiler.</param>
    ITargetDefinition OnlyWhenDynamic(Func<bool> condition, string? reason = null, [CallerArgumentExpression(nameof(condition))] string expression = "");
    /// <summary>What happens to the dependencies of a target its static condition skips: skipped with it when nothing
    /// else needs them (<see cref="DependencyBehavior.Skip"/>, the default), or run anyway (<see cref="DependencyBehavior.Execute"/>).</summary>
    ITargetDefinition WhenSkipped(DependencyBehavior behavior);

    /// <summary>A value the target needs (a parameter); checked for every scheduled target before the first runs.</summary>
    ITargetDefinition Requires(Func<object?> value, [CallerArgumentExpression(nameof(value))] string expression = "");
    /// <summary>A condition the target needs; checked for every scheduled target before the first runs.</summary>
    ITargetDefinition Requires(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string expression = "");

    /// <summary>When this target fails, the targets that do not depend on it still run.</summary>
    ITargetDefinition ProceedAfterFailure();
    /// <summary>This target runs even after another target failed.</summary>
    ITargetDefinition AssuredAfterFailure();
    /// <summary>The target also runs under --dry-run (with IsDryRun set) to preview what it would change.</summary>
    ITargetDefinition SupportsDryRun();
    /// <summary>Hidden from --help and the plan picture, still invocable.</summary>
    ITargetDefinition Unlisted();
}
