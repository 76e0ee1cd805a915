using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace CloudAge.Tools.GitOps.ImageBump;

/// <summary>A node with the character span it occupies in the text it was parsed from.</summary>
internal abstract record YamlNode(int Start, int End, int Line);

internal sealed record YamlScalar(int Start, int End, int Line, int Column, string Value, ScalarStyle Style) : YamlNode(Start, End, Line);

internal sealed record YamlSequence(int Start, int End, int Line, IReadOnlyList<YamlNode> Items) : YamlNode(Start, End, Line);

internal sealed record YamlMapping(int Start, int End, int Line, bool Flow, IReadOnlyList<KeyValuePair<YamlNode, YamlNode>> Pairs)
    : YamlNode(Start, End, Line)
{
    public YamlNode? this[string key] =>
        Pairs.FirstOrDefault(p => p.Key is YamlScalar s && s.Value == key).Value is { } value ? YamlTree.Resolve(value) : null;
}

/// <summary>An alias: it is not edited itself, but lookups see through it to the anchored node.</summary>
internal sealed record YamlAlias(int Start, int End, int Line, YamlNode Target) : YamlNode(Start, End, Line);

/// <summary>
/// Builds a tree of spans from YamlDotNet's event parser. The representation model would lose the marks
/// of quotes and anchors; the events keep exact offsets, which is what a byte-preserving splice needs.
/// </summary>
internal static class YamlTree
{
    public static YamlNode Resolve(YamlNode node) => node is YamlAlias alias ? Resolve(alias.Target) : node;

    /// <summary>Parses every document; offsets are shifted by <paramref name="offset"/> (a stripped BOM).</summary>
    public static IReadOnlyList<YamlNode> Parse(string text, int offset)
    {
        var parser = new Parser(new StringReader(text));
        var documents = new List<YamlNode>();
        parser.Consume<StreamStart>();
        while (!parser.TryConsume<StreamEnd>(out _))
        {
            parser.Consume<DocumentStart>();
            var anchors = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            documents.Add(ReadNode(parser, text, anchors, offset));
            parser.Consume<DocumentEnd>();
        }
        return documents;
    }

    private static YamlNode ReadNode(IParser parser, string text, Dictionary<string, YamlNode> anchors, int offset)
    {
        YamlNode node;
        AnchorName anchor;
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (!anchors.TryGetValue(alias.Value.Value, out var target))
                throw new YamlException(alias.Start, alias.End, $"Alias *{alias.Value.Value} has no anchor before it.");
            return new YamlAlias(At(alias.Start), At(alias.End), Line(alias.Start), target);
        }
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            anchor = scalar.Anchor;
            node = new YamlScalar(ValueStart(text, At(scalar.Start), At(scalar.End), offset), At(scalar.End), Line(scalar.Start), (int)scalar.Start.Column, scalar.Value, scalar.Style);
        }
        else if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            anchor = sequenceStart.Anchor;
            var items = new List<YamlNode>();
            SequenceEnd? end;
            while (!parser.TryConsume<SequenceEnd>(out end))
                items.Add(ReadNode(parser, text, anchors, offset));
            node = new YamlSequence(At(sequenceStart.Start), At(end!.End), Line(sequenceStart.Start), items);
        }
        else
        {
            var mappingStart = parser.Consume<MappingStart>();
            anchor = mappingStart.Anchor;
            var pairs = new List<KeyValuePair<YamlNode, YamlNode>>();
            MappingEnd? end;
            while (!parser.TryConsume<MappingEnd>(out end))
            {
                var key = ReadNode(parser, text, anchors, offset);
                pairs.Add(new(key, ReadNode(parser, text, anchors, offset)));
            }
            // The end event of a flow mapping starts at its closing brace: the place to insert a new key.
            node = new YamlMapping(At(mappingStart.Start), At(end!.Start), Line(mappingStart.Start),
                mappingStart.Style == MappingStyle.Flow, pairs);
        }
        if (!anchor.IsEmpty)
            anchors[anchor.Value] = node;
        return node;

        int At(Mark mark) => (int)mark.Index + offset;
    }

    private static int Line(Mark mark) => (int)mark.Line;

    /// <summary>A scalar's start mark includes its anchor and tag (<c>&amp;app !!str</c>); the value begins after them.</summary>
    private static int ValueStart(string text, int start, int end, int offset)
    {
        var at = start - offset;
        var stop = end - offset;
        while (at < stop && text[at] is '&' or '!')
        {
            while (at < stop && !char.IsWhiteSpace(text[at]))
                at++;
            while (at < stop && char.IsWhiteSpace(text[at]))
                at++;
        }
        return at + offset;
    }
}
