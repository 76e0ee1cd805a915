using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CloudAge.Engine.Output;

/// <summary>
/// The one place that speaks GitHub's workflow-command protocol: it writes commands exactly as the runner reads them
/// and keeps every other line from being read as one. The rules come from actions/runner (read at commit 258d6c8):
/// <list type="bullet">
/// <item>src/Runner.Sdk/ProcessInvoker.cs reads the step's output with <c>StreamReader.ReadLine</c>, so a line ends at
/// CR, LF or CRLF; <see cref="Lines"/> splits the same way.</item>
/// <item>src/Runner.Worker/Handlers/OutputManager.cs hands a line to the command manager when it contains <c>##[</c> or <c>::</c>.</item>
/// <item>src/Runner.Common/ActionCommand.cs <c>TryParseV2</c>: a command when <c>line.TrimStart()</c> starts with <c>::</c>
/// (an ANSI colour code before it makes plain text); the command info ends at the next <c>::</c>, the name at the first
/// space, properties split on <c>,</c> and then on the first <c>=</c>; data is unescaped <c>%0D</c>, <c>%0A</c>, <c>%25</c>
/// in that order, property values <c>%0D</c>, <c>%0A</c>, <c>%3A</c>, <c>%2C</c>, <c>%25</c>. <c>TryParse</c> (legacy)
/// finds <c>##[name k=v;k=v]data</c> anywhere in the line.</item>
/// <item>Those searches for <c>::</c> and <c>##[</c> are culture-sensitive (<c>StartsWith(string)</c>, <c>IndexOf(string)</c>)
/// and the runner runs under ICU (src/Misc/layoutbin/installdependencies.sh installs libicu): a match never ends inside a
/// grapheme cluster and skips characters ICU ignores (a soft hyphen); see <see cref="Format"/>.</item>
/// <item>src/Runner.Worker/ActionCommandManager.cs: after <c>::stop-commands::TOKEN</c> nothing is processed until a
/// line <c>::TOKEN::</c>; the token must not be a command name, and the runner masks it when longer than 6 characters.</item>
/// </list>
/// </summary>
public static class WorkflowCommands
{
    public const string StopCommands = "stop-commands";

    /// <summary><c>::name k=v,k=v::data</c> with the data and every property value escaped.</summary>
    public static string Format(string name, string data, params (string Key, string Value)[] properties)
    {
        var text = new StringBuilder("::").Append(name);
        for (var i = 0; i < properties.Length; i++)
            text.Append(i == 0 ? ' ' : ',').Append(properties[i].Key).Append('=').Append(EscapeProperty(properties[i].Value));
        var escaped = EscapeData(data);
        // The runner finds the "::" that ends the command info with the culture-sensitive string.IndexOf under ICU, which
        // never ends a match inside a grapheme cluster. Data whose first character extends the ':' before it (a combining
        // mark, a spacing mark) hides that separator: the runner then ends the command info at a later "::" in the data,
        // reading the outside text before it as properties (file=, line=, title= of an annotation), or drops the command.
        // A space keeps the separator whole.
        if (escaped.Length > 0 && StringInfo.GetNextTextElementLength(":" + escaped) > 1)
            escaped = " " + escaped;
        return text.Append("::").Append(escaped).ToString();
    }

    /// <summary>The reverse of the runner's UnescapeData: <c>%</c> first, so the runner's <c>%25</c> step, which comes last, restores it.</summary>
    public static string EscapeData(string value) =>
        value.Replace("%", "%25", StringComparison.Ordinal)
            .Replace("\r", "%0D", StringComparison.Ordinal)
            .Replace("\n", "%0A", StringComparison.Ordinal);

    /// <summary>The reverse of the runner's UnescapeProperty; <c>:</c> would end the command info and <c>,</c> the property.</summary>
    public static string EscapeProperty(string value) =>
        EscapeData(value)
            .Replace(":", "%3A", StringComparison.Ordinal)
            .Replace(",", "%2C", StringComparison.Ordinal);

    /// <summary>True when the runner would try to read this line as a command (either form), whatever its name.</summary>
    public static bool CouldBeCommand(string line) =>
        line.TrimStart().StartsWith("::", StringComparison.Ordinal) || line.Contains("##[", StringComparison.Ordinal);

    /// <summary>The lines the runner sees in this text: split at CR, LF and CRLF, as <c>StreamReader.ReadLine</c> does.</summary>
    public static IReadOnlyList<string> Lines(string text)
    {
        var lines = new List<string>();
        using var reader = new StringReader(text);
        while (reader.ReadLine() is { } line)
            lines.Add(line);
        if (lines.Count == 0)
            lines.Add(string.Empty);
        return lines;
    }

    /// <summary>
    /// Plain text, as the runner must read it: unchanged when no line could be a command, else the lines between
    /// <c>::stop-commands::TOKEN</c> and <c>::TOKEN::</c> with a fresh unguessable token, so nothing in them (an Argo CD
    /// message, a file, an exception) can add a mask, set an output or fake an annotation.
    /// </summary>
    public static IReadOnlyList<string> ProtectText(IReadOnlyList<string> lines, out string? token)
    {
        token = null;
        if (!lines.Any(CouldBeCommand))
            return lines;
        token = NewToken();
        return [Format(StopCommands, token), .. lines, $"::{token}::"];
    }

    // 128 random bits: the text being protected cannot know it, so it cannot end the pause early. Starting with a letter
    // and made of hex, it is never one of the runner's command names.
    private static string NewToken() => "t" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
