namespace CloudAge.Workflows.Validation;

/// <summary>Suggests the closest known name for a misspelt one, as the engine does for target names.</summary>
internal static class DidYouMean
{
    /// <summary>Targets and parameters match case-insensitively with hyphens and underscores ignored, as the engine binds them.</summary>
    public static string Normalize(string name) =>
        new(name.Where(c => c is not ('-' or '_')).Select(char.ToLowerInvariant).ToArray());

    public static string? Closest(string name, IEnumerable<string> candidates)
    {
        var wanted = Normalize(name);
        // A typo (small edit distance) or a shortened name (one contains the other) both count as close.
        return candidates
            .Select(c => (Candidate: c, Normalized: Normalize(c), Distance: Distance(wanted, Normalize(c))))
            .Where(c => c.Distance <= Math.Max(2, wanted.Length / 3)
                || (wanted.Length >= 3 && (c.Normalized.Contains(wanted, StringComparison.Ordinal) || wanted.Contains(c.Normalized, StringComparison.Ordinal))))
            .OrderBy(c => c.Distance).ThenBy(c => c.Candidate, StringComparer.Ordinal)
            .Select(c => c.Candidate)
            .FirstOrDefault();
    }

    public static string Hint(string name, IReadOnlyCollection<string> candidates)
    {
        var closest = Closest(name, candidates);
        var list = string.Join(", ", candidates.Order(StringComparer.Ordinal));
        return (closest is null ? "" : $" Did you mean '{closest}'?") + $" Available: {(list.Length == 0 ? "(none)" : list)}.";
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
