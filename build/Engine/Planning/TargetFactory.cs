using System.Reflection;

namespace CloudAge.Engine.Planning;

/// <summary>Stage 1: finds the build's <see cref="Target"/> properties and resolves their references into a graph.</summary>
internal static class TargetFactory
{
    public static IReadOnlyList<ExecutableTarget> Create(object build)
    {
        var properties = TargetProperties(build.GetType());
        // A class, not a value tuple: generic code over value tuples is not precompiled (ReadyToRun) and would be
        // JIT-compiled on every start.
        var definitions = new List<Declared>();
        foreach (var property in properties)
        {
            var target = (Target)property.GetValue(build)!;
            var definition = new TargetDefinition();
            target(definition);
            definitions.Add(new Declared(property, target, definition));
        }

        // A Target property returns a fresh delegate on every read, but its lambda always compiles to the same method.
        var byMethod = new Dictionary<MethodInfo, ExecutableTarget>();
        var targets = new List<ExecutableTarget>();
        foreach (var (property, target, definition) in definitions)
        {
            var executable = new ExecutableTarget(property.Name, targets.Count)
            {
                Description = definition.DescriptionText,
                IsUnlisted = definition.IsUnlisted,
                SupportsDryRun = definition.DryRun,
                Actions = definition.Actions,
                StaticConditions = definition.StaticConditions,
                DynamicConditions = definition.DynamicConditions,
                RequiredValues = definition.RequiredValues,
                RequiredConditions = definition.RequiredConditions,
                SkippedDependencies = definition.SkippedDependencies,
                ProceedAfterFailure = definition.Proceed,
                AssuredAfterFailure = definition.Assured,
            };
            byMethod[target.Method] = executable;
            targets.Add(executable);
        }

        for (var i = 0; i < definitions.Count; i++)
        {
            var definition = definitions[i].Definition;
            var target = targets[i];
            foreach (var other in Resolve(definition.DependsOnTargets))
                AddOnce(target.ExecutionDependencies, other);
            foreach (var other in Resolve(definition.DependentForTargets))
                AddOnce(other.ExecutionDependencies, target);
            foreach (var other in Resolve(definition.AfterTargets))
                AddOnce(target.OrderDependencies, other);
            foreach (var other in Resolve(definition.BeforeTargets))
                AddOnce(other.OrderDependencies, target);
            foreach (var other in Resolve(definition.TriggersTargets))
                AddOnce(target.Triggers, other);
            foreach (var other in Resolve(definition.TriggeredByTargets))
                AddOnce(other.Triggers, target);
        }
        return targets;

        IEnumerable<ExecutableTarget> Resolve(IEnumerable<Target> references) =>
            references.Select(reference => byMethod.TryGetValue(reference.Method, out var found)
                ? found
                : throw new InvalidOperationException($"A target refers to '{reference.Method.Name}', which is not a Target property of {build.GetType().Name}."));
    }

    internal static IEnumerable<PropertyInfo> TargetProperties(Type type) =>
        type.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(p => p.PropertyType == typeof(Target) && p.GetIndexParameters().Length == 0)
            .OrderBy(p => p.MetadataToken);

    /// <summary>The name of the Target property whose lambda <paramref name="target"/> is, or null.</summary>
    internal static string? NameOf(object build, Target target)
    {
        foreach (var property in TargetProperties(build.GetType()))
        {
            if (((Target)property.GetValue(build)!).Method == target.Method)
                return property.Name;
        }
        return null;
    }

    private sealed record Declared(PropertyInfo Property, Target Delegate, TargetDefinition Definition);

    private static void AddOnce(List<ExecutableTarget> list, ExecutableTarget target)
    {
        if (!list.Contains(target))
            list.Add(target);
    }
}
