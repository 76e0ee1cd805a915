using CloudAge.Common.Text;
using CloudAge.Engine.Parameters;

namespace CloudAge.Engine.Cli;

/// <summary>
/// Reads <c>./build.sh [targets] [--option value...]</c>. Positional words are targets; an option takes as many
/// words as its type needs (none or one for a bool, all up to the next option for an array, one otherwise).
/// </summary>
/// <summary>One of the engine's own options (a class, not a tuple: --help reads these on every start).</summary>
public sealed record EngineOption(string Name, string Value, string Description);

public static class CommandLineParser
{
    /// <summary>The engine's own options, one row each: name, value, what it does.</summary>
    public static readonly IReadOnlyList<EngineOption> Options =
    [
        new("help", "", "Show targets and parameters, then exit"),
        new("plan", "", "Show the execution plan as a tree and write .nuke/temp/execution-plan.html; nothing runs"),
        new("format", "html|mermaid", "With --plan: mermaid prints Mermaid text instead"),
        new("dry-run", "", "Show the plan and the parameters' values; nothing runs"),
        new("parallel", "", "Run independent targets at the same time, up to one per core"),
        new("skip", "[targets]", "Skip the named targets, or every target not named on the command line"),
        new("target", "targets", "Targets to run (the same as naming them first)"),
        new("continue", "", "Keep running targets that do not depend on a failed one"),
        new("verbosity", "quiet|minimal|normal|verbose", "How much to print"),
        new("root", "path", "The repository root (default: the nearest folder with .nuke/ above the current one)"),
        new("profile", "name", "Also read .nuke/parameters.<name>.json, which wins over parameters.json"),
        new("no-logo", "", "Do not print the banner line"),
    ];

    public static IEnumerable<string> EngineOptions => Options.Select(o => o.Name);

    public static BuildOptions Parse(IReadOnlyList<string> args, IReadOnlyList<ParameterDescriptor> parameters)
    {
        var options = new BuildOptions();
        var targets = new List<string>();
        var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!IsOption(arg))
            {
                targets.Add(arg);
                continue;
            }
            var (name, inline) = Split(arg);
            switch (name)
            {
                case "help" or "h": options = options with { Help = true }; break;
                case "plan": options = options with { Plan = true }; break;
                case "format":
                    var format = Single(name, inline, ref i);
                    options = options with
                    {
                        PlanFormat = Enum.TryParse<PlanFormat>(format, true, out var f) ? f : throw new UsageException($"--format takes html or mermaid, not '{format}'."),
                    };
                    break;
                case "dry-run": options = options with { DryRun = true }; break;
                case "parallel": options = options with { Parallel = true }; break;
                case "continue": options = options with { Continue = true }; break;
                case "no-logo": options = options with { NoLogo = true }; break;
                case "write-schema": options = options with { WriteSchema = true }; break;
                case "skip": options = options with { Skip = Many(inline, ref i) }; break;
                case "target": targets.AddRange(Many(inline, ref i)); break;
                case "root": options = options with { Root = Single(name, inline, ref i) }; break;
                case "profile": options = options with { Profiles = [.. options.Profiles, .. Many(inline, ref i)] }; break;
                case "verbosity":
                    var level = Single(name, inline, ref i);
                    options = options with
                    {
                        Verbosity = Enum.TryParse<Verbosity>(level, true, out var v) ? v : throw new UsageException($"--verbosity takes quiet, minimal, normal or verbose, not '{level}'."),
                    };
                    break;
                default:
                    var parameter = parameters.FirstOrDefault(p => p.CommandLineName == name)
                        ?? throw new UsageException($"Unknown option '--{name}'.{DidYouMean.Suggest(name, parameters.Select(p => p.CommandLineName).Concat(EngineOptions).Select(option => "--" + option))} Run with --help to see the parameters.");
                    values[parameter.CommandLineName] = ValuesFor(parameter, inline, ref i);
                    break;
            }
        }
        return options with { Targets = targets, ParameterValues = values };

        string Single(string name, string? inline, ref int i)
        {
            if (inline is not null)
                return inline;
            if (i + 1 < args.Count && !IsOption(args[i + 1]))
                return args[++i];
            throw new UsageException($"--{name} needs a value.");
        }

        List<string> Many(string? inline, ref int i)
        {
            var list = inline is not null ? [inline] : new List<string>();
            while (inline is null && i + 1 < args.Count && !IsOption(args[i + 1]))
                list.Add(args[++i]);
            return list;
        }

        List<string> ValuesFor(ParameterDescriptor parameter, string? inline, ref int i)
        {
            var type = Nullable.GetUnderlyingType(parameter.Type) ?? parameter.Type;
            if (type.IsArray)
                return Many(inline, ref i);
            if (type == typeof(bool))
            {
                if (inline is not null)
                    return [inline];
                if (i + 1 < args.Count && args[i + 1].ToLowerInvariant() is "true" or "false")
                    return [args[++i]];
                return ["true"];
            }
            if (inline is not null)
                return [inline];
            if (i + 1 < args.Count && !IsOption(args[i + 1]))
                return [args[++i]];
            throw new UsageException($"--{parameter.CommandLineName} needs a value: {parameter.Description}");
        }
    }

    private static bool IsOption(string arg) => arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2 || arg == "-h";

    private static (string Name, string? Inline) Split(string arg)
    {
        var text = arg.TrimStart('-');
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var name = equals < 0 ? text : text[..equals];
        return (ParameterDescriptor.ToKebab(name).ToLowerInvariant(), equals < 0 ? null : text[(equals + 1)..]);
    }
}
