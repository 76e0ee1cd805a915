using System.Text;
using System.Text.RegularExpressions;

namespace CloudAge.Tools.Container.Context;

/// <summary>One cleaned .dockerignore pattern compiled the way moby/patternmatcher compiles it.</summary>
internal sealed class IgnorePattern
{
    private enum Kind { Exact, Prefix, Suffix, Regex }

    private readonly Kind _kind;
    private readonly Regex? _regex;

    public IgnorePattern(string pattern, bool exclusion)
    {
        Text = pattern;
        Exclusion = exclusion;
        (_kind, var source) = Compile(pattern);
        if (_kind != Kind.Regex)
            return;
        try
        {
            _regex = new Regex(source, RegexOptions.CultureInvariant | RegexOptions.Singleline);
        }
        catch (ArgumentException e)
        {
            throw new ContainerException($".dockerignore pattern '{pattern}' is not a valid pattern ({e.Message}); fix or remove that line.", e);
        }
    }

    /// <summary>The cleaned pattern without its leading <c>!</c>.</summary>
    public string Text { get; }

    /// <summary>True for a <c>!</c> exception that re-includes what earlier patterns excluded.</summary>
    public bool Exclusion { get; }

    public bool Matches(string path) => _kind switch
    {
        Kind.Exact => path == Text,
        Kind.Prefix => path.StartsWith(Text[..^2], StringComparison.Ordinal),
        Kind.Suffix => path.EndsWith(Text[2..], StringComparison.Ordinal) || (Text.Length > 2 && Text[2] == '/' && path == Text[3..]),
        _ => _regex!.IsMatch(path),
    };

    // Mirrors patternmatcher's Pattern.compile, including its shortcuts for literal patterns with a leading or
    // trailing "**": "*" and "?" never cross "/", "**" crosses any number of directories, "\" escapes the next
    // character, "[...]" passes through as a class, and the few regex characters Go's Match has no meaning for are escaped.
    private static (Kind Kind, string Regex) Compile(string pattern)
    {
        var regex = new StringBuilder("^");
        var kind = Kind.Exact;
        for (var i = 0; i < pattern.Length; i++)
        {
            var ch = pattern[i];
            if (ch == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                var start = i;
                i++;
                if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                    i++;
                if (i + 1 >= pattern.Length)
                {
                    if (kind == Kind.Exact)
                        kind = Kind.Prefix;
                    else
                    {
                        regex.Append(".*");
                        kind = Kind.Regex;
                    }
                }
                else
                {
                    regex.Append("(.*/)?");
                    kind = Kind.Regex;
                }
                if (start == 0)
                    kind = Kind.Suffix;
            }
            else if (ch == '*')
            {
                regex.Append("[^/]*");
                kind = Kind.Regex;
            }
            else if (ch == '?')
            {
                regex.Append("[^/]");
                kind = Kind.Regex;
            }
            else if (ch is '.' or '+' or '(' or ')' or '|' or '{' or '}' or '$')
            {
                regex.Append('\\').Append(ch);
            }
            else if (ch == '\\')
            {
                regex.Append('\\');
                if (i + 1 < pattern.Length)
                    regex.Append(pattern[++i]);
                else
                    regex.Append('\\');
                // A literal compared as a string would keep the backslash; the regex drops it as Docker means.
                kind = Kind.Regex;
            }
            else if (ch is '[' or ']')
            {
                regex.Append(ch);
                kind = Kind.Regex;
            }
            else
            {
                regex.Append(ch);
            }
        }
        return (kind, regex.Append('$').ToString());
    }
}
