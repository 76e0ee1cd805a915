using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace CloudAge.Tools.Validation.Yaml;

/// <summary>
/// Remembers where each document starts and ends while YamlStream consumes the events: the representation
/// model gives mappings no usable end mark, and the strict deserializer needs each document's own text.
/// </summary>
internal sealed class RecordingParser(IParser inner) : IParser
{
    public List<(Mark Start, Mark End)> Documents { get; } = [];

    public Mark LastMark { get; private set; } = Mark.Empty;

    private Mark documentStart = Mark.Empty;

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (!inner.MoveNext())
        {
            return false;
        }

        switch (inner.Current)
        {
            case DocumentStart start:
                documentStart = start.Start;
                break;
            case DocumentEnd end:
                Documents.Add((documentStart, end.End));
                break;
        }

        if (inner.Current is { } current)
        {
            LastMark = current.Start;
        }

        return true;
    }
}
