namespace CloudAge.Common.Text;

/// <summary>
/// Finds the closest known name to a mistyped one: names match case-insensitively with '-' and '_' ignored (as
/// the engine binds targets and parameters), and a typo (small edit distance) or a shortened name counts as close.
/// </summary>
public static class DidYouMean
{
    // A loop rather than LINQ over chars: the engine normalizes every environment variable name on each start.
    public static string Normalize(string name)
    {
        Span<char> buffer = name.Length <= 256 ? stackalloc char[name.Length] : new char[name.Length];
        var length = 0;
        foreach (var c in name)
        {
            if (c is not ('-' or '_'))
                buffer[length++] = char.ToLowerInvariant(c);
        }
        return new string(buffer[..length]);
    }

    public static string? Closest(string name, IEnumerable<string> candidates)
    {
        var wanted = Normalize(name);
        return candidates
            .Select(c => (Candidate: c, Normalized: Normalize(c), Distance: Distance(wanted, Normalize(c))))
            .Where(c => c.Distance <= Math.Max(2, wanted.Length / 3)
                || (wanted.Length >= 3 && (c.Normalized.Contains(wanted, StringComparison.Ordinal) || wanted.Contains(c.Normalized, StringComparison.Ordinal))))
            .OrderBy(c => c.Distance).ThenBy(c => c.Candidate, StringComparer.Ordinal)
            .Select(c => c.Candidate)
            .FirstOrDefault();
    }

    /// <summary><c> Did you mean 'X'?</c>, or nothing when no name is close.</summary>
    public static string Suggest(string name, IEnumerable<string> candidates) =>
        Closest(name, candidates) is { } closest ? $" Did you mean '{closest}'?" : string.Empty;

    /// <summary><see cref="Suggest"/> followed by <c> Available: a, b, c.</c> (sorted), for short lists of names.</summary>
    public static string Hint(string name, IReadOnlyCollection<string> candidates)
    {
        var list = string.Join(", ", candidates.Order(StringComparer.Ordinal));
        return Suggest(name, candidates) + $" Available: {(list.Length == 0 ? "(none)" : list)}.";
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}
