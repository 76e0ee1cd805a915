using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace CloudAge.Tools.Validation.Yaml;

/// <summary>
/// Presents the document that starts at the inner parser's current event as a stream of its own, so that
/// YamlStream.Load returns each document as soon as it is parsed, and the next one can be parsed while it is
/// typed. Anchors are scoped to their document in YAML, so nothing is lost by loading documents one by one.
/// </summary>
/// Every event it gives is also kept in <see cref="Events"/>, so the document can be replayed as it was parsed.
internal sealed class OneDocumentParser(IParser inner) : IParser
{
    private ParsingEvent? current;

    /// <summary>The events given so far, StreamStart to StreamEnd once the document is read.</summary>
    public List<ParsingEvent> Events { get; } = [];

    public ParsingEvent? Current
    {
        get => current;
        private set
        {
            current = value;
            if (value is not null)
                Events.Add(value);
        }
    }

    private int state; // 0: synthetic StreamStart next; 1: the document's first event next; 2: inside it; 3: after StreamEnd


    public bool MoveNext()
    {
        switch (state)
        {
            case 0:
                Current = new StreamStart();
                state = 1;
                return true;
            case 1:
                Current = inner.Current; // the DocumentStart the caller stopped at
                state = 2;
                return true;
            case 2 when Current is DocumentEnd:
                Current = new StreamEnd();
                state = 3;
                return true;
            case 2:
                var moved = inner.MoveNext();
                Current = moved ? inner.Current : null;
                return moved;
            default:
                Current = null;
                return false;
        }
    }
}
