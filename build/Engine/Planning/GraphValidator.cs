
namespace CloudAge.Engine.Planning;

/// <summary>Stage 2: checks the whole graph before anything is planned: self-dependencies and cycles, reported as paths.</summary>
public static class GraphValidator
{
    public static void Validate(IReadOnlyList<ExecutableTarget> targets)
    {
        var errors = new List<string>();
        foreach (var target in targets)
        {
            if (Edges(target).Contains(target))
                errors.Add($"Target '{target.Name}' cannot have a dependency on itself.");
        }
        foreach (var cycle in Cycles(targets))
            errors.Add($"Circular dependencies between targets: {string.Join(" -> ", cycle.Append(cycle[0]).Select(t => t.Name))}.");
        if (errors.Count > 0)
            throw new UsageException(string.Join(Environment.NewLine, errors) + Environment.NewLine + "Change the DependsOn/After/Before/Triggers declarations so that no target waits for itself.");
    }

    // Every edge that orders two targets: execution dependencies, ordering and triggers (a trigger runs after its trigger).
    private static IEnumerable<ExecutableTarget> Edges(ExecutableTarget target) =>
        target.ExecutionDependencies.Concat(target.OrderDependencies);

    private static IEnumerable<ExecutableTarget> RunsBefore(ExecutableTarget target, IReadOnlyList<ExecutableTarget> all) =>
        Edges(target).Concat(all.Where(other => other.Triggers.Contains(target)));

    /// <summary>Tarjan's strongly connected components; each component larger than one is a cycle, returned as a path.</summary>
    internal static List<List<ExecutableTarget>> Cycles(IReadOnlyList<ExecutableTarget> targets)
    {
        var index = 0;
        var indices = new Dictionary<ExecutableTarget, int>();
        var lowLinks = new Dictionary<ExecutableTarget, int>();
        var stack = new Stack<ExecutableTarget>();
        var onStack = new HashSet<ExecutableTarget>();
        var cycles = new List<List<ExecutableTarget>>();

        foreach (var target in targets)
        {
            if (!indices.ContainsKey(target))
                Connect(target);
        }
        return cycles;

        void Connect(ExecutableTarget v)
        {
            indices[v] = lowLinks[v] = index++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in RunsBefore(v, targets).Where(w => w != v))
            {
                if (!indices.ContainsKey(w))
                {
                    // Not visited yet: recurse and take its low link.
                    Connect(w);
                    lowLinks[v] = Math.Min(lowLinks[v], lowLinks[w]);
                }
                else if (onStack.Contains(w) && indices.TryGetValue(w, out var wIndex))
                {
                    lowLinks[v] = Math.Min(lowLinks[v], wIndex);
                }
            }
            if (lowLinks[v] != indices[v])
                return;
            var component = new List<ExecutableTarget>();
            ExecutableTarget member;
            do
            {
                member = stack.Pop();
                onStack.Remove(member);
                component.Add(member);
            }
            while (member != v);
            if (component.Count > 1)
                cycles.Add(PathThrough(component));
        }

        // Turn a component into a readable path that follows real edges: A -> B -> C -> A.
        List<ExecutableTarget> PathThrough(List<ExecutableTarget> component)
        {
            var members = component.ToHashSet();
            var start = component.OrderBy(t => t.Index).First();
            var path = new List<ExecutableTarget> { start };
            var current = start;
            while (true)
            {
                var next = RunsBefore(current, targets).Where(members.Contains).OrderBy(t => t.Index)
                    .FirstOrDefault(t => !path.Contains(t) || t == start);
                if (next is null || next == start)
                    break;
                path.Add(next);
                current = next;
            }
            return path;
        }
    }
}
