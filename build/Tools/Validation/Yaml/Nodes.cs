using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Validation.Yaml;

/// <summary>Null-tolerant navigation over the representation model, so rules read like the manifest paths they check.</summary>
internal static class Nodes
{
    public static YamlNode? At(this YamlNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            node = node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;
        }

        return node;
    }

    /// <summary>The key node of <paramref name="key"/>, so a finding points at the field name rather than its value.</summary>
    public static YamlNode? KeyOf(this YamlNode? node, string key) =>
        node is YamlMappingNode map ? map.Children.Keys.FirstOrDefault(k => k is YamlScalarNode s && s.Value == key) : null;

    /// <summary>
    /// The key of the deepest field that exists along <paramref name="path"/>: the field a finding about a missing
    /// or wrong value should point at. The node itself when not even the first field exists.
    /// </summary>
    public static YamlNode Nearest(this YamlNode node, params string[] path)
    {
        var current = node;
        YamlNode found = node;
        foreach (var key in path)
        {
            if (current.KeyOf(key) is not { } keyNode)
            {
                break;
            }

            found = keyNode;
            current = current.At(key)!;
        }

        return found;
    }

    public static string? Text(this YamlNode? node) => node is YamlScalarNode { Value: { } value } ? value : null;

    public static IEnumerable<YamlNode> Items(this YamlNode? node) =>
        node is YamlSequenceNode seq ? seq.Children : [];

    public static IEnumerable<KeyValuePair<string, YamlNode>> Entries(this YamlNode? node) =>
        node is YamlMappingNode map
            ? map.Children.Where(e => e.Key is YamlScalarNode { Value: not null })
                .Select(e => new KeyValuePair<string, YamlNode>(((YamlScalarNode)e.Key).Value!, e.Value))
            : [];

    public static bool IsTrue(this YamlNode? node) => node.Text() is "true" or "True" or "TRUE";

    public static int? Integer(this YamlNode? node) =>
        int.TryParse(node.Text(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>The dotted path to the node that starts at <paramref name="mark"/>, for messages like kubectl's <c>unknown field "spec.foo"</c>.</summary>
    /// <remarks>
    /// Compares line and column, not index: the strict deserializer reads padded text whose indexes differ. Each
    /// node is visited once: an aliased node is shared, and walking it at every alias is exponential in the nesting.
    /// </remarks>
    public static string? PathTo(YamlNode root, Mark mark)
    {
        var visited = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        return Walk(root, "");

        string? Walk(YamlNode node, string path)
        {
            if (SamePlace(node.Start, mark))
            {
                return path;
            }

            if (!visited.Add(node))
            {
                return null;
            }

            switch (node)
            {
                case YamlMappingNode map:
                    foreach (var (key, value) in map.Children)
                    {
                        var childPath = path.Length == 0 ? key.Text() ?? "?" : $"{path}.{key.Text()}";
                        if (SamePlace(key.Start, mark))
                        {
                            return childPath;
                        }

                        if (Walk(value, childPath) is { } found)
                        {
                            return found;
                        }
                    }

                    break;
                case YamlSequenceNode seq:
                    for (var i = 0; i < seq.Children.Count; i++)
                    {
                        if (Walk(seq.Children[i], $"{path}[{i}]") is { } found)
                        {
                            return found;
                        }
                    }

                    break;
            }

            return null;
        }

        static bool SamePlace(Mark a, Mark b) => a.Line == b.Line && a.Column == b.Column;
    }
}
