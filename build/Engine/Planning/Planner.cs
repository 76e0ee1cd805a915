using CloudAge.Common.Text;

namespace CloudAge.Engine.Planning;

/// <summary>What the user asked to run.</summary>
/// <param name="Invoked">Target names as typed (case and hyphens ignored); empty means the default targets.</param>
/// <param name="Skip">Null: skip nothing. Empty: skip every target that was not invoked. Otherwise: skip these.</param>
public sealed record PlanRequest(IReadOnlyList<string> Invoked, IReadOnlyList<string>? Skip = null);

/// <summary>
/// Stage 3: a pure function from the graph and the request to an ordered plan. It schedules the invoked targets,
/// their execution dependencies and triggers; orders them by every edge (ties by declaration order); and marks
/// what is skipped by --skip or by a false OnlyWhenStatic, cascading to dependencies nobody else needs.
/// </summary>
public static class Planner
{
    public static ExecutionPlan Plan(IReadOnlyList<ExecutableTarget> targets, PlanRequest request)
    {
        var invoked = request.Invoked.Count > 0
            ? request.Invoked.Select(name => Find(targets, name)).Distinct().ToList()
            : targets.Where(t => t.IsDefault).ToList();
        if (invoked.Count == 0)
            throw new UsageException("No target was named and the build declares no default target. Available targets are: " + List(targets) + ".");

        var scheduled = Closure(invoked);
        var ordered = Order(scheduled);
        var plan = ordered.Select(t => new PlannedTarget(t, invoked.Contains(t))).ToList();

        ApplySkips(plan, request.Skip, targets);
        ApplyStaticConditions(plan);
        return new ExecutionPlan(targets, plan);
    }

    public static ExecutableTarget Find(IReadOnlyList<ExecutableTarget> targets, string name)
    {
        var key = DidYouMean.Normalize(name);
        return targets.FirstOrDefault(t => DidYouMean.Normalize(t.Name) == key)
            ?? throw new UsageException($"Target with name '{UserText.Printable(name)}' does not exist.{DidYouMean.Suggest(name, targets.Select(t => t.Name))} Available targets are: {List(targets)}.");
    }

    private static string List(IReadOnlyList<ExecutableTarget> targets) =>
        string.Join(", ", targets.Where(t => !t.IsUnlisted).Select(t => t.Name));

    private static HashSet<ExecutableTarget> Closure(IEnumerable<ExecutableTarget> roots)
    {
        var scheduled = new HashSet<ExecutableTarget>();
        var pending = new Stack<ExecutableTarget>(roots);
        while (pending.Count > 0)
        {
            var target = pending.Pop();
            if (!scheduled.Add(target))
                continue;
            foreach (var next in target.ExecutionDependencies.Concat(target.Triggers))
                pending.Push(next);
        }
        return scheduled;
    }

    /// <summary>Kahn's algorithm over the edges among scheduled targets; the ready target declared first goes first.</summary>
    private static List<ExecutableTarget> Order(HashSet<ExecutableTarget> scheduled)
    {
        var before = scheduled.ToDictionary(t => t, PredecessorsOf);
        var ordered = new List<ExecutableTarget>();
        var done = new HashSet<ExecutableTarget>();
        while (ordered.Count < scheduled.Count)
        {
            var next = scheduled.Where(t => !done.Contains(t) && before[t].All(done.Contains)).OrderBy(t => t.Index).FirstOrDefault()
                ?? throw new InvalidOperationException("The graph has a cycle the validator did not report.");
            ordered.Add(next);
            done.Add(next);
        }
        return ordered;

        HashSet<ExecutableTarget> PredecessorsOf(ExecutableTarget target) =>
            Predecessors(target, scheduled).ToHashSet();
    }

    /// <summary>The scheduled targets that must finish before this one starts.</summary>
    public static IEnumerable<ExecutableTarget> Predecessors(ExecutableTarget target, IReadOnlySet<ExecutableTarget> scheduled) =>
        target.ExecutionDependencies
            .Concat(target.OrderDependencies)
            .Concat(scheduled.Where(other => other.Triggers.Contains(target)))
            .Where(scheduled.Contains)
            .Distinct();

    private static void ApplySkips(List<PlannedTarget> plan, IReadOnlyList<string>? skip, IReadOnlyList<ExecutableTarget> targets)
    {
        if (skip is null)
            return;
        var skipped = skip.Count == 0
            ? plan.Where(p => !p.Invoked).Select(p => p.Target).ToHashSet()
            : skip.Select(name => Find(targets, name)).ToHashSet();
        foreach (var entry in plan.Where(p => skipped.Contains(p.Target)))
        {
            entry.Status = TargetStatus.Skipped;
            entry.Note = "skipped by --skip";
        }
    }

    private static void ApplyStaticConditions(List<PlannedTarget> plan)
    {
        var cascading = new HashSet<ExecutableTarget>();
        foreach (var entry in plan.Where(p => p.Status == TargetStatus.Scheduled))
        {
            var failed = entry.Target.StaticConditions.FirstOrDefault(c => !Evaluate(entry.Target, c));
            if (failed is null)
                continue;
            entry.Status = TargetStatus.Skipped;
            entry.Note = failed.WhenFalse("OnlyWhenStatic");
            if (entry.Target.SkippedDependencies == DependencyBehavior.Skip)
                cascading.Add(entry.Target);
        }

        // A dependency of a skipped target is skipped too, unless it was invoked or a target that still runs needs it.
        bool changed;
        do
        {
            changed = false;
            foreach (var entry in plan.Where(p => p.Status == TargetStatus.Scheduled && !p.Invoked))
            {
                var dependents = plan.Where(p => p.Target.ExecutionDependencies.Contains(entry.Target) || p.Target.Triggers.Contains(entry.Target)).ToList();
                if (dependents.Count == 0 || !dependents.All(d => cascading.Contains(d.Target)))
                    continue;
                entry.Status = TargetStatus.Skipped;
                entry.Note = $"dependency of skipped '{dependents[0].Name}'";
                if (entry.Target.SkippedDependencies == DependencyBehavior.Skip)
                    cascading.Add(entry.Target);
                changed = true;
            }
        }
        while (changed);
    }

    private static bool Evaluate(ExecutableTarget target, Check check)
    {
        try
        {
            return check.Evaluate();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new UsageException($"Target '{target.Name}': the condition '{check.Text}' threw {e.GetType().Name}: {e.Message}");
        }
    }
}
