using CloudAge.Engine.Cli;
using CloudAge.Engine.Parameters;
using CloudAge.Engine.Planning;

namespace CloudAge.Engine.Execution;

/// <summary>Stage 4: every requirement of every target that will run, checked before the first one starts, all reported at once.</summary>
internal static class RequirementChecker
{
    public static void Check(ExecutionPlan plan, IReadOnlyList<ParameterDescriptor> parameters, object build)
    {
        var errors = new List<string>();
        foreach (var entry in plan.Targets.Where(t => t.Status == TargetStatus.Scheduled))
        {
            foreach (var (text, value) in entry.Target.RequiredValues)
            {
                if (ParameterBinder.HasValue(value()))
                    continue;
                var parameter = parameters.FirstOrDefault(p => p.Name == text);
                errors.Add(parameter is null
                    ? $"Target '{entry.Name}' requires '{text}', which has no value."
                    : $"Target '{entry.Name}' requires '{text}': pass {parameter.HowToSet}.");
            }
            foreach (var condition in entry.Target.RequiredConditions.Where(c => !c.Evaluate()))
                errors.Add($"Target '{entry.Name}' requires '{condition.Text}', which is false.");
        }
        if (errors.Count > 0)
            throw new UsageException(string.Join(Environment.NewLine, errors));
    }
}
