using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace CloudAge.Tools.Validation.Yaml;

/// <summary>
/// Replays the parser events a document was read from (kept by <see cref="OneDocumentParser"/>), with the marks of
/// the original file, so the strict deserializer types the document without parsing its text a second time (parsing
/// is most of Validate's cost). Aliases stay aliases, so nothing is expanded.
/// </summary>
internal sealed class RecordedEventParser(IReadOnlyList<ParsingEvent> recorded) : IParser
{
    private readonly IEnumerator<ParsingEvent> events = recorded.GetEnumerator();

    public ParsingEvent? Current { get; private set; }

    public bool MoveNext()
    {
        var moved = events.MoveNext();
        Current = moved ? events.Current : null;
        return moved;
    }
}
