using CloudAge.Common.Text;
using CloudAge.Engine.Parameters;

namespace CloudAge.Engine.Cli;

/// <summary>
/// Reads <c>./build.sh [targets] [--option value...]</c>. Positional words are targets; an option takes as many
/// words as its type needs (none or one for a bool, all up to the next option for an array, one otherwise).
/// </summary>
/// <summary>One of the engine's own options (a class, not a tuple: --help reads these on every start).</summary>
public sealed record EngineOption(string Name, string Value, string Description);

public static partial class CommandLineParser
{
    /// <summary>The engine's own options, one row each: name, value, what it does.</summary>
    public static readonly IReadOnlyList<EngineOption> Options =
    [
        new("help", "", "Show targets and parameters, then exit"),
        new("plan", "", "Show the execution plan as a tree and write .nuke/temp/execution-plan.html; nothing runs"),
        new("format", "html|mermaid", "With --plan: mermaid prints Mermaid text instead"),
        new("dry-run", "", "Show the plan and the parameters' values; only targets that preview their change run, and nothing is changed"),
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

    /// <param name="build">The build, whose defaults serve as examples in messages (<c>e.g. --local-port 8080</c>); optional.</param>
    public static BuildOptions Parse(IReadOnlyList<string> args, IReadOnlyList<ParameterDescriptor> parameters, object? build = null)
    {
        var options = new BuildOptions();
        var targets = new List<string>();
        var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        // Options that take one value: given twice, which one was meant is a guess, so neither is taken.
        var once = new Dictionary<string, string>(StringComparer.Ordinal);
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
                    var format = Once(name, Single(name, inline, ref i, "mermaid"), "mermaid");
                    options = options with
                    {
                        PlanFormat = Enum.TryParse<PlanFormat>(format, true, out var f) ? f : throw new UsageException($"--format takes html or mermaid, not '{UserText.Printable(format)}'."),
                    };
                    break;
                case "dry-run": options = options with { DryRun = true }; break;
                case "parallel": options = options with { Parallel = true }; break;
                case "continue": options = options with { Continue = true }; break;
                case "no-logo": options = options with { NoLogo = true }; break;
                case "write-schema": options = options with { WriteSchema = true }; break;
                case "skip": options = options with { Skip = [.. options.Skip ?? [], .. Many(inline, ref i)] }; break;
                case "target": targets.AddRange(Many(inline, ref i)); break;
                case "root": options = options with { Root = Once(name, Single(name, inline, ref i, "."), ".") }; break;
                case "profile": options = options with { Profiles = [.. options.Profiles, .. Profiles(Many(inline, ref i))] }; break;
                case "verbosity":
                    var level = Once(name, Single(name, inline, ref i, "verbose"), "verbose");
                    options = options with
                    {
                        Verbosity = Enum.TryParse<Verbosity>(level, true, out var v) ? v : throw new UsageException($"--verbosity takes quiet, minimal, normal or verbose, not '{UserText.Printable(level)}'."),
                    };
                    break;
                default:
                    var parameter = parameters.FirstOrDefault(p => p.CommandLineName == name)
                        ?? throw new UsageException($"Unknown option '--{UserText.Printable(name)}'.{DidYouMean.Suggest(name, parameters.Select(p => p.CommandLineName).Concat(EngineOptions).Select(option => "--" + option))} Run with --help to see the parameters.");
                    var given = ValuesFor(parameter, inline, ref i);
                    if (values.TryGetValue(parameter.CommandLineName, out var earlier))
                    {
                        // An array adds up (--extra-tags a --extra-tags b), as --profile and --target do; a single value cannot.
                        if (!IsArray(parameter))
                            throw Twice(parameter.CommandLineName, parameter.IsSecret ? null : (earlier[0], given[0]), parameter.Example(build));
                        given = [.. earlier, .. given];
                    }
                    values[parameter.CommandLineName] = given;
                    break;
            }
        }
        return options with { Targets = targets, ParameterValues = values };

        string Single(string name, string? inline, ref int i, string example)
        {
            if (inline is not null)
                return inline;
            if (i + 1 < args.Count && !IsOption(args[i + 1]))
                return args[++i];
            throw new UsageException($"--{name} needs a value, e.g. --{name} {example}.");
        }

        string Once(string name, string value, string example)
        {
            if (!once.TryAdd(name, value))
                throw Twice(name, (once[name], value), $"--{name} {example}");
            return value;
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
            if (IsArray(parameter))
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
            var about = parameter.Description.Length > 0 ? $" ({parameter.Description.TrimEnd('.')})" : string.Empty;
            throw new UsageException($"--{parameter.CommandLineName} needs a value{about}, e.g. {parameter.Example(build)}.");
        }
    }

    private static bool IsArray(ParameterDescriptor parameter) => (Nullable.GetUnderlyingType(parameter.Type) ?? parameter.Type).IsArray;

    /// <summary><c>--local-port given twice (1 and 2); give it once, e.g. --local-port 8080.</c> A secret's values are not shown.</summary>
    private static UsageException Twice(string name, (string First, string Second)? values, string example) =>
        new($"--{name} given twice{(values is { } v ? $" ({UserText.Printable(v.First)} and {UserText.Printable(v.Second)})" : string.Empty)}; give it once, e.g. {example}.");

    // A profile names .nuke/parameters.<name>.json: a plain name, so that it cannot reach a file outside .nuke/.
    private static List<string> Profiles(List<string> names)
    {
        if (names.Count == 0)
            throw new UsageException("--profile needs a name, e.g. --profile ci for .nuke/parameters.ci.json.");
        foreach (var name in names)
        {
            if (!ProfileName().IsMatch(name))
                throw new UsageException($"--profile '{UserText.Printable(name)}' is not a profile name: give the plain name of a .nuke/parameters.<name>.json file (letters, digits, '.', '-' and '_'; no path), e.g. --profile ci.");
        }
        return names;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._-]*\z")]
    private static partial System.Text.RegularExpressions.Regex ProfileName();

    private static bool IsOption(string arg) => arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2 || arg == "-h";

    private static (string Name, string? Inline) Split(string arg)
    {
        var text = arg.TrimStart('-');
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var name = equals < 0 ? text : text[..equals];
        return (ParameterDescriptor.ToKebab(name).ToLowerInvariant(), equals < 0 ? null : text[(equals + 1)..]);
    }
}
