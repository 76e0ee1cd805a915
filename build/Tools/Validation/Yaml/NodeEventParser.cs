using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Validation.Yaml;

/// <summary>
/// Replays an already parsed document as parser events, with the marks of the original file, so the strict
/// deserializer types the document without parsing its text a second time (parsing is most of Validate's cost).
/// A node met again (an alias in the source) is replayed as an alias, so nothing is expanded.
/// </summary>
internal sealed class NodeEventParser : IParser
{
    private readonly IEnumerator<ParsingEvent> events;

    public NodeEventParser(YamlNode root) => events = Events(root).GetEnumerator();

    /// <summary>Replays the events the document was parsed from, as they were (cheaper than making them again).</summary>
    public NodeEventParser(IReadOnlyList<ParsingEvent> recorded) => events = recorded.GetEnumerator();

    public ParsingEvent? Current { get; private set; }

    public bool MoveNext()
    {
        var moved = events.MoveNext();
        Current = moved ? events.Current : null;
        return moved;
    }

    private static IEnumerable<ParsingEvent> Events(YamlNode root)
    {
        yield return new StreamStart();
        yield return new DocumentStart(null, null, isImplicit: true, root.Start, root.Start);
        var seen = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<object>(); // a node to emit, or an end event to emit after its children
        pending.Push(root);
        while (pending.TryPop(out var item))
        {
            if (item is ParsingEvent end)
            {
                yield return end;
                continue;
            }

            var node = (YamlNode)item;
            if (!node.Anchor.IsEmpty && !seen.Add(node))
            {
                yield return new AnchorAlias(node.Anchor, node.Start, node.End);
                continue;
            }

            switch (node)
            {
                case YamlScalarNode scalar:
                    var plain = scalar.Style is ScalarStyle.Plain or ScalarStyle.Any;
                    yield return new Scalar(scalar.Anchor, scalar.Tag, scalar.Value ?? "", scalar.Style, scalar.Tag.IsEmpty && plain, scalar.Tag.IsEmpty && !plain, scalar.Start, scalar.End);
                    break;
                case YamlSequenceNode sequence:
                    yield return new SequenceStart(sequence.Anchor, sequence.Tag, sequence.Tag.IsEmpty, sequence.Style, sequence.Start, sequence.End);
                    pending.Push(new SequenceEnd(sequence.End, sequence.End));
                    for (var i = sequence.Children.Count - 1; i >= 0; i--)
                    {
                        pending.Push(sequence.Children[i]);
                    }

                    break;
                case YamlMappingNode mapping:
                    yield return new MappingStart(mapping.Anchor, mapping.Tag, mapping.Tag.IsEmpty, mapping.Style, mapping.Start, mapping.End);
                    pending.Push(new MappingEnd(mapping.End, mapping.End));
                    foreach (var (key, value) in mapping.Children.Reverse())
                    {
                        pending.Push(value);
                        pending.Push(key);
                    }

                    break;
            }
        }

        yield return new DocumentEnd(isImplicit: true, root.End, root.End);
        yield return new StreamEnd(root.End, root.End);
    }
}
