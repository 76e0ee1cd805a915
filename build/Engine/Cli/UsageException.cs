namespace CloudAge.Engine.Cli;

/// <summary>The user asked for something the build cannot do as asked: printed as a message, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>Finds the closest known name to a mistyped one (Levenshtein distance).</summary>
public static class DidYouMean
{
    public static string? Closest(string input, IEnumerable<string> candidates)
    {
        var normalized = Normalize(input);
        var best = candidates
            .Select(c => (Name: c, Distance: Distance(normalized, Normalize(c))))
            .OrderBy(c => c.Distance)
            .FirstOrDefault();
        // Beyond this the "suggestion" is noise rather than help.
        return best.Name is not null && best.Distance <= Math.Max(2, normalized.Length / 3) ? best.Name : null;
    }

    public static string Suggest(string input, IEnumerable<string> candidates) =>
        Closest(input, candidates) is { } closest ? $" Did you mean '{closest}'?" : string.Empty;

    internal static string Normalize(string name) =>
        new(name.Where(c => c is not ('-' or '_')).Select(char.ToLowerInvariant).ToArray());

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
