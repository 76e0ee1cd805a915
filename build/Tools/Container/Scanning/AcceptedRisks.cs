using System.Globalization;
using CloudAge.Common.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Container.Scanning;

/// <summary>One finding the team accepted, why, and until when.</summary>
public sealed record AcceptedRisk(string Id, string Reason, DateOnly Expires);

/// <summary>
/// The accepted-risks file the user owns (for example <c>.scan-ignore.yaml</c>; JSON is YAML too):
/// <code>
/// accepted:
///   - id: CVE-2024-12345
///     reason: not reachable, we do not parse untrusted TIFF
///     expires: 2026-12-31
/// </code>
/// Every entry needs all three; a missing reason or expiry is an error, so nothing is ignored forever by accident. The
/// file is the user's input as much as a flag is: what is wrong with it is an <see cref="InputException"/> (exit 2) that
/// names the file, the line and the key, with an example of a good entry.
/// </summary>
public static class AcceptedRisks
{
    private const string Example = "such as '- id: CVE-2024-12345' with 'reason: not reachable' and 'expires: 2026-12-31'";

    /// <param name="source">How messages name the file, for example <c>.scan-ignore.yaml (--accepted-risks-file)</c>; the path when null.</param>
    public static IReadOnlyList<AcceptedRisk> Load(string path, string? source = null) =>
        File.Exists(path) ? Parse(File.ReadAllText(path), source ?? path) : [];

    public static IReadOnlyList<AcceptedRisk> Parse(string text, string source = "accepted risks file")
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new InputException($"{source} is not valid YAML (line {e.Start.Line}): {e.Message} Fix the file; it holds a list 'accepted:' of entries {Example}.", e);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
            return [];
        if (stream.Documents[0].RootNode is not YamlMappingNode root || !root.Children.TryGetValue(new YamlScalarNode("accepted"), out var list))
            throw new InputException($"{source} needs a top-level 'accepted:' list of entries with id, reason and expires, {Example}.");
        if (list is not YamlSequenceNode entries)
            throw new InputException($"{source} line {list.Start.Line}: 'accepted' must be a list of entries, {Example}.");
        var risks = new List<AcceptedRisk>();
        foreach (var node in entries)
        {
            var line = node.Start.Line;
            if (node is not YamlMappingNode entry)
                throw new InputException($"{source} line {line}: each accepted risk is a mapping with id, reason and expires, {Example}.");
            var id = Value(entry, "id");
            var reason = Value(entry, "reason");
            var expires = Value(entry, "expires");
            if (id is null)
                throw new InputException($"{source} line {line}: an entry has no 'id'; give the finding's id as the scan report names it, such as 'id: CVE-2024-12345'.");
            if (reason is null)
                throw new InputException($"{source} line {line}: '{id}' has no 'reason'; say why the risk is accepted, such as 'reason: not reachable, we parse no untrusted TIFF'.");
            if (expires is null)
                throw new InputException($"{source} line {line}: '{id}' has no 'expires' date; accepted risks must be reviewed, so give one such as 'expires: 2026-12-31'.");
            if (!DateOnly.TryParseExact(expires, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                throw new InputException($"{source} line {line}: '{id}' expires '{expires}', which is not a date (YYYY-MM-DD); give one such as 'expires: 2026-12-31'.");
            risks.Add(new AcceptedRisk(id, reason, date));
        }
        return risks;
    }

    private static string? Value(YamlMappingNode entry, string key) =>
        entry.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode { Value: { } value } && value.Trim().Length > 0
            ? value.Trim()
            : null;
}
