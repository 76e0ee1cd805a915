namespace CloudAge.Tools.Container.Registry;

/// <summary>
/// The <c>rel="next"</c> target of HTTP <c>Link</c> headers (RFC 8288 section 3: <c>Link = #link-value</c>,
/// <c>link-value = "&lt;" URI-Reference "&gt;" *( OWS ";" OWS link-param )</c>, a param's value a token or a quoted
/// string, <c>rel</c> a space-separated list of relation types, compared case-insensitively). Links are separated by
/// commas outside the angle brackets and quotes only, since a URI reference may itself hold a comma
/// (<c>?last=a,b</c>). Written by hand: the framework's <c>System.Net.Http.Headers</c> has no Link parser.
/// </summary>
internal static class LinkHeader
{
    /// <summary>The first link whose relation types include <c>next</c>, resolved against <paramref name="requested"/>; null when none.</summary>
    public static Uri? Next(IEnumerable<string> values, Uri requested)
    {
        foreach (var value in values)
        {
            var at = 0;
            while (Link(value, ref at) is { } link)
            {
                if (link.Relations.Contains("next", StringComparer.OrdinalIgnoreCase))
                    return Uri.TryCreate(requested, link.Target, out var next) ? next : null;
            }
        }
        return null;
    }

    // One link-value from position `at`, which ends past it (after its comma); null at the end or at text that is not one.
    private static (string Target, string[] Relations)? Link(string text, ref int at)
    {
        SkipSpaceAndCommas(text, ref at);
        if (at >= text.Length || text[at] != '<')
            return null;
        var close = text.IndexOf('>', at);
        if (close < 0)
            return null;
        var target = text[(at + 1)..close];
        at = close + 1;
        var relations = Array.Empty<string>();
        while (true)
        {
            SkipSpace(text, ref at);
            if (at >= text.Length || text[at] == ',')
                break;
            if (text[at] != ';')
                return null;
            at++;
            SkipSpace(text, ref at);
            var nameStart = at;
            while (at < text.Length && text[at] is not ('=' or ';' or ',') && !char.IsWhiteSpace(text[at]))
                at++;
            var name = text[nameStart..at];
            SkipSpace(text, ref at);
            var parameter = "";
            if (at < text.Length && text[at] == '=')
            {
                at++;
                SkipSpace(text, ref at);
                parameter = at < text.Length && text[at] == '"' ? Quoted(text, ref at) : Token(text, ref at);
            }
            if (name.Equals("rel", StringComparison.OrdinalIgnoreCase) && relations.Length == 0)
                relations = parameter.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        return (target, relations);
    }

    // quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE (RFC 9110 5.6.4); `at` starts on the opening quote.
    private static string Quoted(string text, ref int at)
    {
        var value = new System.Text.StringBuilder();
        for (at++; at < text.Length && text[at] != '"'; at++)
        {
            if (text[at] == '\\' && at + 1 < text.Length)
                at++;
            value.Append(text[at]);
        }
        at = Math.Min(at + 1, text.Length);
        return value.ToString();
    }

    private static string Token(string text, ref int at)
    {
        var start = at;
        while (at < text.Length && text[at] is not (';' or ',') && !char.IsWhiteSpace(text[at]))
            at++;
        return text[start..at];
    }

    private static void SkipSpace(string text, ref int at)
    {
        while (at < text.Length && text[at] is ' ' or '\t')
            at++;
    }

    private static void SkipSpaceAndCommas(string text, ref int at)
    {
        while (at < text.Length && text[at] is ' ' or '\t' or ',')
            at++;
    }
}
