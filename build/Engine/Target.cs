namespace CloudAge.Engine;

/// <summary>
/// A target, declared as NUKE users know it: <c>Target Compile => _ => _.DependsOn(Restore).Executes(() => ...);</c>
/// </summary>
public delegate ITargetDefinition Target(ITargetDefinition definition);

/// <summary>What happens to a skipped target's dependencies.</summary>
public enum DependencyBehavior
{
    /// <summary>Skip the dependencies too, unless another scheduled target needs them (NUKE's default).</summary>
    Skip,
    /// <summary>Run the dependencies anyway.</summary>
    Execute,
}
