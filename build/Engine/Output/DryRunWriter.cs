using CloudAge.Engine.Parameters;
using CloudAge.Engine.Planning;

namespace CloudAge.Engine.Output;

/// <summary>--dry-run: the plan in order and every parameter's value (secrets masked); nothing runs.</summary>
internal static class DryRunWriter
{
    public static void Write(ExecutionPlan plan, IReadOnlyList<ParameterDescriptor> parameters, object build, BuildConsole console)
    {
        var lines = new List<(string, Style)> { ("Dry run: nothing will change. Plan:", Style.Heading) };
        var number = 0;
        foreach (var entry in plan.Targets)
        {
            var state = entry.Status == TargetStatus.Skipped ? $"skip ({entry.Note})"
                : entry.Target.SupportsDryRun ? "preview" : "would run";
            lines.Add(($"  {++number,2}. {entry.Name,-16} {state}", entry.Status == TargetStatus.Skipped ? Style.Dim : Style.Plain));
        }
        lines.Add((string.Empty, Style.Plain));
        lines.Add(("Parameters:", Style.Heading));
        var width = parameters.Select(p => p.Name.Length).DefaultIfEmpty().Max() + 2;
        foreach (var parameter in parameters)
            lines.Add(($"  {parameter.Name.PadRight(width)}{ParameterBinder.Display(parameter, parameter.GetValue(build))}", Style.Plain));
        console.WriteBlock(lines);
    }
}
