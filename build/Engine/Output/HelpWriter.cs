using System.Text;
using CloudAge.Engine.Cli;
using CloudAge.Engine.Parameters;
using CloudAge.Engine.Planning;

namespace CloudAge.Engine.Output;

/// <summary>--help: targets with their direct dependencies and descriptions, then parameters, then the engine's options.</summary>
public static class HelpWriter
{
    public static string Write(IReadOnlyList<ExecutableTarget> targets, IReadOnlyList<ParameterDescriptor> parameters)
    {
        var text = new StringBuilder();
        text.AppendLine("Targets (with their direct dependencies):");
        text.AppendLine();
        foreach (var target in targets.Where(t => !t.IsUnlisted))
        {
            var line = "  " + target.Name + (target.IsDefault ? " (default)" : string.Empty);
            if (target.ExecutionDependencies.Count > 0)
                line += " -> " + string.Join(", ", target.ExecutionDependencies.Select(d => d.Name));
            text.AppendLine(line);
            if (!string.IsNullOrWhiteSpace(target.Description))
                text.AppendLine("      " + target.Description);
        }
        text.AppendLine();
        text.AppendLine("Parameters (command line, then environment variable, then .nuke/parameters.json):");
        text.AppendLine();
        var rows = new List<string[]>();
        foreach (var parameter in parameters)
            rows.Add([$"--{parameter.CommandLineName} <{TypeName(parameter)}>", Describe(parameter)]);
        Table(text, rows);
        text.AppendLine();
        text.AppendLine("Options:");
        text.AppendLine();
        rows.Clear();
        foreach (var option in CommandLineParser.Options)
        {
            if (option.Name != "write-schema")
                rows.Add([$"--{option.Name}" + (option.Value.Length > 0 ? $" <{option.Value}>" : string.Empty), option.Description]);
        }
        Table(text, rows);
        return text.ToString();
    }

    private static string Describe(ParameterDescriptor parameter)
    {
        var text = parameter.Description.Length > 0 ? parameter.Description : "(no description)";
        text += $" [env {parameter.EnvironmentName}]";
        if (parameter.IsSecret)
            text += " [secret]";
        return text;
    }

    internal static string TypeName(ParameterDescriptor parameter)
    {
        var type = Nullable.GetUnderlyingType(parameter.Type) ?? parameter.Type;
        var element = type.IsArray ? type.GetElementType()! : type;
        var name = element.IsEnum ? string.Join('|', Enum.GetNames(element).Select(n => n.ToLowerInvariant()))
            : element == typeof(AbsolutePath) ? "path"
            : element == typeof(TimeSpan) ? "duration"
            : element == typeof(Uri) ? "url"
            : element == typeof(int) ? "number"
            : element == typeof(bool) ? "true|false"
            : "text";
        return type.IsArray ? name + "..." : name;
    }

    // Rows as string pairs (arrays, not value tuples, which LINQ would JIT-compile on every --help).
    private static void Table(StringBuilder text, List<string[]> rows)
    {
        var width = 0;
        foreach (var row in rows)
            width = Math.Max(width, row[0].Length);
        width += 2;
        foreach (var row in rows)
            text.AppendLine("  " + row[0].PadRight(width) + row[1]);
    }
}
