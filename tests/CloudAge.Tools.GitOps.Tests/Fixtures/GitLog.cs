namespace CloudAge.Tools.GitOps.Tests.Fixtures;

/// <summary>Collects log lines from any thread, for assertions on what a run printed.</summary>
public sealed class GitLog
{
    private readonly List<string> _lines = [];

    public void Write(string line)
    {
        lock (_lines)
            _lines.Add(line);
    }

    public string Text
    {
        get
        {
            lock (_lines)
                return string.Join('\n', _lines);
        }
    }
}
