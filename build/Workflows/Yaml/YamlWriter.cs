using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CloudAge.Workflows.Yaml;

/// <summary>
/// Writes block-style YAML line by line in the order it is called, with two-space indentation, LF line
/// ends and plain scalars wherever YAML reads them back as the same string (single quotes otherwise).
/// Hand-written because a serializer decides key order, quoting and null style by itself, and the
/// generated files must read like the GitHub documentation and come out byte-identical every time.
/// </summary>
internal sealed partial class YamlWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;
    private bool _itemStart;

    public void Comment(string text) => Line("# " + text);

    public void BlankLine() => _text.Append('\n');

    public void Scalar(string key, string value)
    {
        if (value.Contains('\n', StringComparison.Ordinal))
        {
            Line(key + ": |");
            _indent += 2;
            foreach (var line in value.TrimEnd('\n').Split('\n'))
                Line(line);
            _indent -= 2;
            return;
        }
        Line(key + ": " + Quote(value));
    }

    /// <summary>A single-line scalar with a comment after it (<c>uses: owner/repo@sha # v1.2.3</c>).</summary>
    public void Scalar(string key, string value, string comment) => Line(key + ": " + Quote(value) + " # " + comment);

    public void Scalar(string key, bool value) => Line(key + ": " + (value ? "true" : "false"));

    public void Scalar(string key, int value) => Line(key + ": " + value.ToString(CultureInfo.InvariantCulture));

    /// <summary>A key with no value (<c>workflow_dispatch:</c>), which GitHub reads as "enabled, no settings".</summary>
    public void Empty(string key) => Line(key + ":");

    public void Map(string key, Action body)
    {
        Line(key + ":");
        _indent += 2;
        body();
        _indent -= 2;
    }

    public void List(string key, IEnumerable<string> items)
    {
        Line(key + ":");
        _indent += 2;
        foreach (var item in items)
            Line("- " + Quote(item));
        _indent -= 2;
    }

    /// <summary>A sequence of mappings; each item's first line carries the dash.</summary>
    public void ListOfMaps(string key, IEnumerable<Action> items)
    {
        Line(key + ":");
        _indent += 4;
        foreach (var item in items)
        {
            _itemStart = true;
            item();
        }
        _indent -= 4;
    }

    public override string ToString() => _text.ToString();

    private void Line(string text)
    {
        if (_itemStart)
        {
            _text.Append(' ', _indent - 2).Append("- ");
            _itemStart = false;
        }
        else
        {
            _text.Append(' ', _indent);
        }
        _text.Append(text).Append('\n');
    }

    internal static string Quote(string value) =>
        NeedsQuotes(value) ? "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'" : value;

    // A plain scalar is used only when YAML 1.1 and 1.2 parsers both read it back as this same string.
    private static bool NeedsQuotes(string value) =>
        value.Length == 0
        || char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])
        || "-?:,[]{}#&*!|>'\"%@`".Contains(value[0], StringComparison.Ordinal)
        || value.Contains(": ", StringComparison.Ordinal) || value.EndsWith(':')
        || value.Contains(" #", StringComparison.Ordinal)
        || value.Any(char.IsControl)
        || ReservedWord().IsMatch(value)
        || NumberLike().IsMatch(value);

    [GeneratedRegex("^(?:y|n|yes|no|true|false|on|off|null|~)$", RegexOptions.IgnoreCase)]
    private static partial Regex ReservedWord();

    [GeneratedRegex(@"^[-+]?(?:[0-9][0-9_.:]*(?:[eE][-+]?[0-9]+)?|\.inf|\.nan|0x[0-9a-fA-F]+|0o[0-7]+)$", RegexOptions.IgnoreCase)]
    private static partial Regex NumberLike();
}
