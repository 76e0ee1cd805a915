namespace CloudAge.Workflows.Validation;

/// <summary>Suggestions for misspelt names in workflow attributes, with the list of what is available.</summary>
internal static class DidYouMean
{
    public static string Normalize(string name) => Common.Text.DidYouMean.Normalize(name);

    public static string Hint(string name, IReadOnlyCollection<string> candidates)
    {
        var list = string.Join(", ", candidates.Order(StringComparer.Ordinal));
        return Common.Text.DidYouMean.Suggest(name, candidates) + $" Available: {(list.Length == 0 ? "(none)" : list)}.";
    }
}
