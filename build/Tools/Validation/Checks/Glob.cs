using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CloudAge.Tools.Validation.Checks;

/// <summary>
/// The two glob dialects Argo CD matches group, kind and name patterns with. Both: <c>*</c> any run, <c>?</c> one
/// character, <c>[a-z]</c> classes, <c>\</c> escapes; a malformed pattern matches nothing, as both libraries' errors
/// do there. github.com/gobwas/glob without separators (argo-cd util/glob, used for ignoreDifferences) negates a
/// class with <c>!</c> and has <c>{a,b}</c> alternatives; Go's path/filepath.Match (AppProject resource lists,
/// pkg/apis/application/v1alpha1 isResourceInList) negates with <c>^</c> and its <c>*</c> and <c>?</c> stop at <c>/</c>.
/// </summary>
internal static class Glob
{
    // Each pattern is compiled once: the checks ask the same few patterns for every document, and a NonBacktracking
    // regex costs far more to build than to run.
    private static readonly ConcurrentDictionary<(string Pattern, bool Filepath), Regex?> Compiled = new();

    public static bool MatchGobwas(string pattern, string text) => Compiled.GetOrAdd((pattern, false), Compile)?.IsMatch(text) == true;

    public static bool MatchFilepath(string pattern, string text) => Compiled.GetOrAdd((pattern, true), Compile)?.IsMatch(text) == true;

    private static Regex? Compile((string Pattern, bool Filepath) key)
    {
        var (pattern, filepath) = key;
        var regex = new StringBuilder("^");
        var one = filepath ? "[^/]" : @"[\s\S]";
        var braces = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '*':
                    regex.Append(one).Append('*');
                    break;
                case '?':
                    regex.Append(one);
                    break;
                case '\\':
                    if (++i == pattern.Length)
                        return null;
                    regex.Append(Literal(pattern[i]));
                    break;
                case '[':
                    var negated = i + 1 < pattern.Length && pattern[i + 1] == (filepath ? '^' : '!');
                    var end = pattern.IndexOf(']', negated ? i + 2 : i + 1);
                    var members = end < 0 ? "" : pattern[(negated ? i + 2 : i + 1)..end];
                    if (members.Length == 0 || members.Contains('\\', StringComparison.Ordinal))
                        return null; // empty, unclosed, or escapes inside a class: rare enough to treat as no match
                    regex.Append(negated ? "[^" : "[");
                    for (var m = 0; m < members.Length; m++)
                    {
                        regex.Append(Literal(members[m]));
                        if (m + 2 < members.Length && members[m + 1] == '-')
                            regex.Append('-').Append(Literal(members[m += 2]));
                    }
                    regex.Append(']');
                    i = end;
                    break;
                case '{' when !filepath:
                    braces++;
                    regex.Append("(?:");
                    break;
                case ',' when braces > 0:
                    regex.Append('|');
                    break;
                case '}' when braces > 0:
                    braces--;
                    regex.Append(')');
                    break;
                default:
                    regex.Append(Literal(pattern[i]));
                    break;
            }
        }
        return braces == 0 ? new Regex(regex.Append(@"\z").ToString(), RegexOptions.NonBacktracking | RegexOptions.CultureInvariant) : null;
    }

    private static string Literal(char c) => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
}
