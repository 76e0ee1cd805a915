using System.Text.RegularExpressions;

namespace CloudAge.Workflows.Triggers;

/// <summary>
/// GitHub's branch and path filter patterns ("filter pattern cheat sheet"): <c>*</c> matches within one
/// path segment, <c>**</c> across segments (<c>**/</c> also matches no directory), <c>?</c> and <c>+</c>
/// make the preceding character optional or repeatable, <c>[]</c> is a character class, <c>\</c> escapes,
/// and a leading <c>!</c> negates. In a list the last pattern that matches decides.
/// </summary>
internal static class FilterPattern
{
    public static bool Included(string value, IEnumerable<string> patterns)
    {
        var included = false;
        foreach (var pattern in patterns)
        {
            var negated = pattern.StartsWith('!');
            if (ToRegex(negated ? pattern[1..] : pattern).IsMatch(value))
                included = !negated;
        }
        return included;
    }

    internal static Regex ToRegex(string pattern)
    {
        var tokens = new List<string>();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '\\' when i + 1 < pattern.Length:
                    tokens.Add(Regex.Escape(pattern[++i].ToString()));
                    break;
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    i++;
                    if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                    {
                        i++;
                        tokens.Add("(?:.*/)?");
                    }
                    else
                    {
                        tokens.Add(".*");
                    }
                    break;
                case '*':
                    tokens.Add("[^/]*");
                    break;
                case '?' or '+' when tokens.Count > 0:
                    tokens[^1] = "(?:" + tokens[^1] + ")" + c;
                    break;
                case '[':
                    var close = pattern.IndexOf(']', i + 1);
                    if (close < 0)
                        goto default;
                    tokens.Add("[" + pattern[(i + 1)..close].Replace("\\", "\\\\", StringComparison.Ordinal) + "]");
                    i = close;
                    break;
                default:
                    tokens.Add(Regex.Escape(c.ToString()));
                    break;
            }
        }
        return new Regex("^" + string.Concat(tokens) + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    public static string Describe(IEnumerable<string> patterns) => string.Join(", ", patterns);
}
