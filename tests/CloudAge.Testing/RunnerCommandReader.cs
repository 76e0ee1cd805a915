using System.Globalization;

namespace CloudAge.Testing;

/// <summary>A workflow command as the GitHub runner processed it, with the 1-based number of the output line it came from.</summary>
public sealed record RunnerCommand(string Name, IReadOnlyDictionary<string, string> Properties, string Data, int Line)
{
    public string? Property(string key) => Properties.TryGetValue(key, out var value) ? value : null;
    public override string ToString() => $"{Line}: {Name} {string.Join(',', Properties.Select(p => p.Key + "=" + p.Value))} :: {Data}";
}

/// <summary>
/// Reads a step's output the way the GitHub runner does, ported line by line from actions/runner (commit 258d6c8):
/// src/Runner.Sdk/ProcessInvoker.cs (lines via StreamReader.ReadLine), src/Runner.Worker/Handlers/OutputManager.cs
/// (only lines holding "##[" or "::" are offered), src/Runner.Worker/ActionCommandManager.cs (registered commands,
/// stop-commands and its resume token) and src/Runner.Common/ActionCommand.cs (TryParseV2, then the legacy TryParse;
/// unescaping). Independent of the engine's writer on purpose: it is the yardstick that writer is measured with.
/// <para>
/// The runner finds "::" and "##[" with the culture-sensitive <c>string.StartsWith(string)</c> and
/// <c>string.IndexOf(string)</c> overloads, under ICU (it needs libicu: src/Misc/layoutbin/installdependencies.sh; it does
/// not run in invariant-globalization mode). The tests run with InvariantGlobalization, where those calls are ordinal,
/// so <see cref="CultureIndexOf"/> models the two ICU rules that change where such a search matches.
/// </para>
/// </summary>
public static class RunnerCommandReader
{
    private const string StopCommand = "stop-commands";
    private const string Prefix = "##[";
    private const string CommandKey = "::";

    // ActionCommandManager registers stop-commands and every IActionCommandExtension (internal-set-repo-path only for plugins).
    private static readonly string[] Extensions =
    [
        "add-mask", "add-matcher", "add-path", "debug", "echo", "endgroup", "error", "group", "notice",
        "remove-matcher", "save-state", "set-env", "set-output", "warning",
    ];

    private static readonly (string Token, string Replacement)[] EscapeMappings = [(";", "%3B"), ("\r", "%0D"), ("\n", "%0A"), ("]", "%5D"), ("%", "%25")];
    private static readonly (string Token, string Replacement)[] DataMappings = [("\r", "%0D"), ("\n", "%0A"), ("%", "%25")];
    private static readonly (string Token, string Replacement)[] PropertyMappings = [("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C"), ("%", "%25")];

    /// <summary>Every command the runner would process in this output, stop-commands and its resume included, in order.</summary>
    public static IReadOnlyList<RunnerCommand> Read(string output)
    {
        var registered = new HashSet<string>([StopCommand, .. Extensions], StringComparer.OrdinalIgnoreCase);
        var commands = new List<RunnerCommand>();
        string? stopToken = null;
        var lineNumber = 0;
        using var reader = new StringReader(output);
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrEmpty(line) || (CultureIndexOf(line, Prefix, 0) < 0 && CultureIndexOf(line, CommandKey, 0) < 0))
                continue;
            if (!TryParseV2(line, registered, lineNumber, out var command) && !TryParse(line, registered, lineNumber, out command))
                continue;
            if (stopToken is not null)
            {
                if (!string.Equals(command.Name, stopToken, StringComparison.OrdinalIgnoreCase))
                    continue;
                registered.Remove(stopToken);
                stopToken = null;
                commands.Add(command);
                continue;
            }
            if (string.Equals(command.Name, StopCommand, StringComparison.OrdinalIgnoreCase))
            {
                // ValidateStopToken: an empty token or a command name fails the step (unless explicitly allowed).
                if (command.Data.Length == 0 || registered.Contains(command.Data) || string.Equals(command.Data, "pause-logging", StringComparison.OrdinalIgnoreCase))
                    throw new InvalidOperationException($"Line {lineNumber}: the runner refuses the stop-commands token '{command.Data}'.");
                stopToken = command.Data;
                registered.Add(stopToken);
            }
            commands.Add(command);
        }
        return commands;
    }

    private static bool TryParseV2(string message, HashSet<string> registered, int lineNumber, out RunnerCommand command)
    {
        command = null!;
        message = message.TrimStart();
        if (!CultureStartsWith(message, CommandKey))
            return false;
        var endIndex = CultureIndexOf(message, CommandKey, CommandKey.Length);
        if (endIndex < 0)
            return false;
        var cmdInfo = message[CommandKey.Length..endIndex];
        var spaceIndex = cmdInfo.IndexOf(' ', StringComparison.Ordinal);
        var name = spaceIndex < 0 ? cmdInfo : cmdInfo[..spaceIndex];
        if (!registered.Contains(name))
            return false;
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (spaceIndex > 0)
        {
            foreach (var property in cmdInfo[(spaceIndex + 1)..].Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var pair = property.Split('=', 2, StringSplitOptions.RemoveEmptyEntries);
                if (pair.Length == 2)
                    properties[pair[0]] = Unescape(pair[1], PropertyMappings);
            }
        }
        command = new RunnerCommand(name, properties, Unescape(message[(endIndex + CommandKey.Length)..], DataMappings), lineNumber);
        return true;
    }

    private static bool TryParse(string message, HashSet<string> registered, int lineNumber, out RunnerCommand command)
    {
        command = null!;
        var prefixIndex = CultureIndexOf(message, Prefix, 0);
        if (prefixIndex < 0)
            return false;
        var rbIndex = message.IndexOf(']', prefixIndex);
        if (rbIndex < 0)
            return false;
        var cmdIndex = prefixIndex + Prefix.Length;
        var cmdInfo = message[cmdIndex..rbIndex];
        var spaceIndex = cmdInfo.IndexOf(' ', StringComparison.Ordinal);
        var name = spaceIndex < 0 ? cmdInfo : cmdInfo[..spaceIndex];
        if (!registered.Contains(name))
            return false;
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (spaceIndex > 0)
        {
            foreach (var property in cmdInfo[(spaceIndex + 1)..].Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                var pair = property.Split('=', 2, StringSplitOptions.RemoveEmptyEntries);
                if (pair.Length == 2)
                    properties[pair[0]] = Unescape(pair[1], EscapeMappings);
            }
        }
        command = new RunnerCommand(name, properties, Unescape(message[(rbIndex + 1)..], EscapeMappings), lineNumber);
        return true;
    }

    /// <summary>
    /// <c>text.IndexOf(pattern, start)</c> as ICU's collation-based search answers it for these ASCII patterns:
    /// characters ICU ignores (controls other than line and tab whitespace, and format characters such as the soft
    /// hyphen or a zero-width space) may come before and between the pattern's characters, and a match never ends inside
    /// a grapheme cluster, so a combining mark right after the last character hides the match there. Returns the index of
    /// the match's first character. Ignorable combining marks (variation selectors) are not modelled.
    /// </summary>
    internal static int CultureIndexOf(string text, string pattern, int start)
    {
        for (var i = start; i < text.Length; i++)
        {
            if (text[i] != pattern[0])
                continue;
            var at = i + 1;
            var matched = 1;
            while (matched < pattern.Length && at < text.Length)
            {
                if (text[at] == pattern[matched])
                    matched++;
                else if (!Ignorable(text[at]))
                    break;
                at++;
            }
            if (matched == pattern.Length && StringInfo.GetNextTextElementLength(text, at - 1) == 1)
                return i;
        }
        return -1;
    }

    private static bool CultureStartsWith(string text, string pattern)
    {
        var index = CultureIndexOf(text, pattern, 0);
        return index >= 0 && text.Take(index).All(Ignorable);
    }

    private static bool Ignorable(char c) =>
        char.GetUnicodeCategory(c) == UnicodeCategory.Format || (char.IsControl(c) && !char.IsWhiteSpace(c));

    private static string Unescape(string escaped, (string Token, string Replacement)[] mappings)
    {
        foreach (var (token, replacement) in mappings)
            escaped = escaped.Replace(replacement, token, StringComparison.Ordinal);
        return escaped;
    }

    /// <summary>The commands that matter to a reader: without the stop-commands fences and their resume tokens.</summary>
    public static IReadOnlyList<RunnerCommand> Effective(IReadOnlyList<RunnerCommand> commands)
    {
        var tokens = commands.Where(c => c.Name == StopCommand).Select(c => c.Data).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return commands.Where(c => c.Name != StopCommand && !tokens.Contains(c.Name)).ToList();
    }
}
