using System.Text;

namespace CloudAge.Tools.Aws.Signing;

/// <summary>The SigV4 canonical request (method, path, query, headers, signed headers, payload hash).</summary>
internal sealed record CanonicalRequest(string Text, string SignedHeaders)
{
    public static CanonicalRequest Build(string method, Uri uri, IEnumerable<KeyValuePair<string, string>> query,
        IReadOnlyList<KeyValuePair<string, string>> headers, string payloadHash)
    {
        var canonicalHeaders = headers
            .GroupBy(h => h.Key.ToLowerInvariant(), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key}:{string.Join(',', g.Select(h => NormalizeValue(h.Value)))}\n");
        var signedHeaders = SignedHeaderList(headers);
        var path = string.IsNullOrEmpty(uri.AbsolutePath) ? "/" : uri.AbsolutePath;
        var text = string.Join('\n', method, path, FormatQuery(query), string.Concat(canonicalHeaders), signedHeaders, payloadHash);
        return new CanonicalRequest(text, signedHeaders);
    }

    public static string SignedHeaderList(IEnumerable<KeyValuePair<string, string>> headers) =>
        string.Join(';', headers.Select(h => h.Key.ToLowerInvariant()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    /// <summary>The URI's query as decoded name/value pairs, ready to be extended and re-encoded.</summary>
    public static List<KeyValuePair<string, string>> Query(Uri uri)
    {
        var query = uri.Query.TrimStart('?');
        if (query.Length == 0)
            return [];
        return query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair =>
        {
            var parts = pair.Split('=', 2);
            return new KeyValuePair<string, string>(Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty);
        }).ToList();
    }

    /// <summary>RFC 3986 encoding, sorted by name then value, as SigV4 requires.</summary>
    public static string FormatQuery(IEnumerable<KeyValuePair<string, string>> query) =>
        string.Join('&', query
            .Select(p => (Name: Uri.EscapeDataString(p.Key), Value: Uri.EscapeDataString(p.Value)))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Name}={p.Value}"));

    // SigV4 trims header values and collapses runs of spaces to one.
    private static string NormalizeValue(string value)
    {
        var builder = new StringBuilder(value.Length);
        var previousSpace = false;
        foreach (var c in value.Trim())
        {
            if (c == ' ' && previousSpace)
                continue;
            previousSpace = c == ' ';
            builder.Append(c);
        }
        return builder.ToString();
    }
}
