using CloudAge.Common.Secrets;
using CloudAge.Common.Text;

namespace CloudAge.Engine.Parameters;

/// <summary>Stage 0: sets every parameter of the build from the command line, then the environment, then the files.</summary>
public static class ParameterBinder
{
    /// <param name="warn">Receives warnings about how values were given (a secret on the command line under CI).</param>
    /// <returns>Where each parameter's value came from, by member name (<see cref="BuildBase.ParameterSourceOf"/>).</returns>
    public static IReadOnlyDictionary<string, ParameterSource> Bind(object build, IReadOnlyList<ParameterDescriptor> parameters, ParameterSources sources, AbsolutePath root, SecretMasker masker,
        Action<string>? warn = null)
    {
        CheckFileKeys(parameters, sources.Files);
        var underCi = IsCi(sources.Environment);
        var environment = EnvironmentIndex(sources.Environment);
        var origins = new Dictionary<string, ParameterSource>(parameters.Count, StringComparer.Ordinal);
        foreach (var parameter in parameters)
        {
            var (values, source) = Lookup(parameter, sources, environment);
            origins[parameter.MemberName] = source;
            if (values is null)
            {
                masker.Add(parameter.IsSecret ? parameter.GetValue(build)?.ToString() : null);
                continue;
            }
            if (parameter.IsSecret)
            {
                foreach (var value in values)
                    masker.Add(value);
                // On a CI runner the command line of every process is readable by the others (ps, /proc); the environment is not.
                if (underCi && sources.CommandLine.ContainsKey(parameter.CommandLineName))
                    warn?.Invoke($"Warning: the secret --{parameter.CommandLineName} was given on the command line, which other processes on this CI runner can read; pass it as the environment variable {parameter.EnvironmentName} (from the CI's secrets) instead.");
            }
            parameter.SetValue(build, ValueConverter.Convert(parameter, values, source, root));
        }
        return origins;
    }

    // A key no parameter reads would be ignored without a word, its value never used: refused as an unknown option is.
    // Keys match as names do everywhere (case, '-' and '_' ignored); "$schema" is skipped when the file is read.
    private static void CheckFileKeys(IReadOnlyList<ParameterDescriptor> parameters, IReadOnlyList<ParameterFile> files)
    {
        var known = parameters.Select(p => DidYouMean.Normalize(p.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (var key in file.Values.Keys.Where(k => !known.Contains(DidYouMean.Normalize(k))))
                throw new UsageException($"{Path.GetFileName(file.Path)}: \"{UserText.Printable(key)}\" is not a parameter of this build.{DidYouMean.Suggest(key, parameters.Select(p => p.Name))} Run with --help to see the parameters.");
        }
    }

    // Normalized name -> the first variable (in ordinal order) with that spelling; built once per run rather than
    // normalizing and sorting every variable again for each parameter.
    private static Dictionary<string, string> EnvironmentIndex(IReadOnlyDictionary<string, string> environment)
    {
        var names = new string[environment.Count];
        var i = 0;
        foreach (var name in environment.Keys)
            names[i++] = name;
        Array.Sort(names, StringComparer.Ordinal);
        var index = new Dictionary<string, string>(names.Length, StringComparer.Ordinal);
        foreach (var name in names)
        {
            // An empty variable counts as not set (CI systems expand an unset variable to ""), so another spelling may answer.
            if (environment[name].Length > 0)
                index.TryAdd(DidYouMean.Normalize(name), name);
        }
        return index;
    }

    // An empty value in the environment or a file (VAR=, "Key": "") is "not given", for every type: the next source or
    // the default applies. A CI system expands a variable it does not have to "", and "" as true, 0 or "no duration"
    // would each be a guess. On the command line a bare --flag is a switch's "true"; --flag= is converted (and refused).
    private static (IReadOnlyList<string>? Values, ParameterSource Source) Lookup(ParameterDescriptor parameter, ParameterSources sources, Dictionary<string, string> environment)
    {
        if (sources.CommandLine.TryGetValue(parameter.CommandLineName, out var cli))
            return (cli, new ParameterSource(ParameterOrigin.CommandLine, "--" + parameter.CommandLineName));

        if (sources.Environment.TryGetValue(parameter.Name, out var exact) && exact.Length > 0)
            return ([exact], new ParameterSource(ParameterOrigin.Environment, parameter.Name));
        var key = DidYouMean.Normalize(parameter.Name);
        environment.TryGetValue(key, out var plain);
        environment.TryGetValue("nuke" + key, out var prefixed);
        // Of a plain and a NUKE_-prefixed spelling, the first in ordinal order wins (as a sorted scan would find it).
        var chosen = plain is null ? prefixed : prefixed is null ? plain : string.CompareOrdinal(plain, prefixed) <= 0 ? plain : prefixed;
        if (chosen is not null)
            return ([sources.Environment[chosen]], new ParameterSource(ParameterOrigin.Environment, chosen));

        foreach (var file in sources.Files)
        {
            var match = file.Values.FirstOrDefault(v => DidYouMean.Normalize(v.Key) == key);
            if (match.Value is not null && !(match.Value.Count == 1 && match.Value[0].Length == 0))
                return (match.Value, new ParameterSource(ParameterOrigin.File, match.Key, Path.GetFileName(file.Path)));
        }
        return (null, new ParameterSource(ParameterOrigin.Default, "--" + parameter.CommandLineName));
    }

    /// <summary>CI=true (most CI systems) or GITHUB_ACTIONS=true.</summary>
    public static bool IsCi(IReadOnlyDictionary<string, string> environment) =>
        environment.TryGetValue("CI", out var ci) && ci.Equals("true", StringComparison.OrdinalIgnoreCase)
        || environment.TryGetValue("GITHUB_ACTIONS", out var actions) && actions.Equals("true", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when the value counts as given: not null, not empty text, not an empty array.</summary>
    public static bool HasValue(object? value) => value switch
    {
        null => false,
        string text => text.Length > 0,
        Array array => array.Length > 0,
        _ => true,
    };

    /// <summary>How a value is shown in --dry-run and the like: secrets masked, arrays joined, on one line of bounded length.</summary>
    public static string Display(ParameterDescriptor parameter, object? value) =>
        !HasValue(value) ? "(not set)"
        : parameter.IsSecret ? SecretMasker.Mask
        : UserText.Printable(value is Array array ? string.Join(' ', array.Cast<object>()) : value!.ToString() ?? string.Empty, 260);
}
