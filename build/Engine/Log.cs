using CloudAge.Engine.Output;

namespace CloudAge.Engine;

/// <summary>
/// What build code writes to, as NUKE's <c>Log.Information(...)</c>. Lines go to the running target's log, which
/// keeps them together in parallel runs; the current log flows with async calls, so nothing here is global state.
/// </summary>
public static class Log
{
    private static readonly AsyncLocal<TargetLog?> Current = new();

    public static void Debug(string message) => Write(LogLevel.Debug, message);
    public static void Information(string message) => Write(LogLevel.Information, message);
    public static void Warning(string message) => Write(LogLevel.Warning, message);
    public static void Error(string message) => Write(LogLevel.Error, message);

    internal static TargetLog? Scope
    {
        get => Current.Value;
        set => Current.Value = value;
    }

    private static void Write(LogLevel level, string message)
    {
        if (Current.Value is { } log)
            log.Write(level, message);
        else
            Console.Error.WriteLine(message);
    }
}

/// <summary>The log of one target (or of the engine itself): streamed, or buffered and written as one block.</summary>
internal sealed class TargetLog(BuildConsole console, bool buffered, Hosts.IBuildHost host)
{
    private readonly List<(string, Style)> _lines = [];

    public List<string> Warnings { get; } = [];
    public List<string> Errors { get; } = [];

    public void Write(LogLevel level, string message)
    {
        if (level == LogLevel.Warning)
            lock (Warnings) Warnings.Add(message);
        if (level == LogLevel.Error)
            lock (Errors) Errors.Add(message);
        if (!console.Shows(level))
            return;
        var style = level switch
        {
            LogLevel.Debug => Style.Dim,
            LogLevel.Warning => Style.Warning,
            LogLevel.Error => Style.Error,
            _ => Style.Plain,
        };
        foreach (var line in host.Decorate(level, message).Split('\n'))
            Add(line.TrimEnd('\r'), style);
    }

    public void Add(string text, Style style)
    {
        if (!buffered)
        {
            console.WriteLine(text, style);
            return;
        }
        lock (_lines)
            _lines.Add((text, style));
    }

    public void Flush()
    {
        lock (_lines)
        {
            if (_lines.Count > 0)
                console.WriteBlock(_lines);
            _lines.Clear();
        }
    }
}
