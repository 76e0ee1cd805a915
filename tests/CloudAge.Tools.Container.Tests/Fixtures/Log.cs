using System.Collections.Concurrent;

namespace CloudAge.Tools.Container.Tests.Fixtures;

/// <summary>Captures every line a tool logs, so tests can assert on it and scan it for secrets.</summary>
public sealed class Log
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public string Text => string.Join('\n', _lines);

    public void Write(string line) => _lines.Enqueue(line);
}
