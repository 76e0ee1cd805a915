using System.Globalization;
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
/// Every entry needs all three; a missing reason or expiry is an error, so nothing is ignored forever by accident.
/// </summary>
public static class AcceptedRisks
{
    public static IReadOnlyList<AcceptedRisk> Load(string path) =>
        File.Exists(path) ? Parse(File.ReadAllText(path), path) : [];

    public static IReadOnlyList<AcceptedRisk> Parse(string text, string source = "accepted risks file")
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ContainerException($"{source} is not valid YAML (line {e.Start.Line}): {e.Message}", e);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
            return [];
        if (stream.Documents[0].RootNode is not YamlMappingNode root || !root.Children.TryGetValue(new YamlScalarNode("accepted"), out var list))
            throw new ContainerException($"{source} needs a top-level 'accepted:' list of entries with id, reason and expires.");
        if (list is not YamlSequenceNode entries)
            throw new ContainerException($"{source}: 'accepted' must be a list.");
        var risks = new List<AcceptedRisk>();
        foreach (var node in entries)
        {
            var line = node.Start.Line;
            if (node is not YamlMappingNode entry)
                throw new ContainerException($"{source} line {line}: each accepted risk is a mapping with id, reason and expires.");
            var id = Value(entry, "id");
            var reason = Value(entry, "reason");
            var expires = Value(entry, "expires");
            if (id is null)
                throw new ContainerException($"{source} line {line}: an entry has no 'id'.");
            if (reason is null)
                throw new ContainerException($"{source} line {line}: '{id}' has no 'reason'; say why the risk is accepted.");
            if (expires is null)
                throw new ContainerException($"{source} line {line}: '{id}' has no 'expires' date (YYYY-MM-DD); accepted risks must be reviewed.");
            if (!DateOnly.TryParseExact(expires, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                throw new ContainerException($"{source} line {line}: '{id}' expires '{expires}', which is not a date like 2026-12-31.");
            risks.Add(new AcceptedRisk(id, reason, date));
        }
        return risks;
    }

    private static string? Value(YamlMappingNode entry, string key) =>
        entry.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode { Value: { } value } && value.Trim().Length > 0
            ? value.Trim()
            : null;
}
