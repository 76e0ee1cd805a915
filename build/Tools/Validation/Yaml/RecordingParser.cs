using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace CloudAge.Tools.Validation.Yaml;

/// <summary>
/// Remembers where each document starts and ends while YamlStream consumes the events (the representation
/// model's root node does not start where its document does), and the last position reached, for errors that
/// come without one.
/// It also keeps the alias budget, so a document whose aliases would explode stops here, before anything expands it.
/// </summary>
internal sealed class RecordingParser(IParser inner) : IParser
{
    public List<(Mark Start, Mark End)> Documents { get; } = [];

    public Mark LastMark { get; private set; } = Mark.Empty;

    private readonly AliasBudget aliases = new();

    private Mark documentStart = Mark.Empty;

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (!inner.MoveNext())
        {
            return false;
        }

        if (inner.Current is { } parsed)
        {
            aliases.Observe(parsed);
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
