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

    /// <summary>A problem at a place in a file; an annotation on GitHub Actions.</summary>
    internal static void Problem(string file, int line, int column, string message)
    {
        if (Current.Value is { } log)
            log.WriteProblem(file, line, column, message);
        else
            Fallback($"{file}:{line}:{column}: {message}");
    }

    private static void Write(LogLevel level, string message)
    {
        if (Current.Value is { } log)
            log.Write(level, message);
        else
            Fallback(message);
    }

    // Outside any run (a library called directly): still never a workflow command made of someone else's text.
    private static void Fallback(string message)
    {
        var lines = Output.WorkflowCommands.Lines(message);
        if (Environment.GetEnvironmentVariable("GITHUB_ACTIONS") == "true")
            lines = Output.WorkflowCommands.ProtectText(lines, out _);
        foreach (var line in lines)
            Console.Error.WriteLine(line);
    }
}

/// <summary>The log of one target (or of the engine itself): streamed, or buffered and written as one block.</summary>
internal sealed class TargetLog(BuildConsole console, bool buffered, Hosts.IBuildHost host)
{
    private readonly List<ConsoleLine> _lines = [];

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
        Add(host.Render(level, message, style));
    }

    public void WriteProblem(string file, int line, int column, string message)
    {
        lock (Errors) Errors.Add($"{file}:{line}:{column}: {message}");
        Add(host.Annotate(file, line, column, message));
    }

    public void Add(string text, Style style) => Add(new ConsoleLine(text, style));

    public void Add(ConsoleLine line)
    {
        if (!buffered)
        {
            console.WriteLines([line]);
            return;
        }
        lock (_lines)
            _lines.Add(line);
    }

    public void Flush()
    {
        lock (_lines)
        {
            if (_lines.Count > 0)
                console.WriteLines(_lines);
            _lines.Clear();
        }
    }
}
