using CloudAge.Common.Secrets;
using CloudAge.Engine.Cli;

namespace CloudAge.Engine.Output;

public enum LogLevel
{
    Debug,
    Information,
    Warning,
    Error,
}

public enum Style
{
    Plain,
    Dim,
    Heading,
    Success,
    Warning,
    Error,
}

/// <summary>
/// The one writer every line of a build goes through: it redacts secrets, colours (unless NO_COLOR or not a
/// terminal), and writes blocks whole so lines of parallel targets never interleave.
/// </summary>
public sealed class BuildConsole(TextWriter writer, bool color, SecretMasker masker, Verbosity verbosity)
{
    private readonly Lock _gate = new();

    public SecretMasker Masker { get; } = masker;
    public Verbosity Verbosity { get; } = verbosity;
    public bool Color { get; } = color;

    public static bool ShouldColor(IReadOnlyDictionary<string, string> environment, bool isTerminal) =>
        !environment.TryGetValue("NO_COLOR", out var noColor) || noColor.Length == 0
            ? isTerminal || environment.ContainsKey("GITHUB_ACTIONS") || environment.ContainsKey("FORCE_COLOR")
            : false;

    public bool Shows(LogLevel level) => Verbosity switch
    {
        Verbosity.Quiet => level >= LogLevel.Error,
        Verbosity.Minimal => level >= LogLevel.Warning,
        Verbosity.Normal => level >= LogLevel.Information,
        _ => true,
    };

    public void WriteLine(string text = "", Style style = Style.Plain) => WriteBlock([(text, style)]);

    public void WriteBlock(IReadOnlyList<(string Text, Style Style)> lines)
    {
        lock (_gate)
        {
            foreach (var (text, style) in lines)
                writer.WriteLine(Paint(Masker.Redact(text), style));
            writer.Flush();
        }
    }

    /// <summary>Writes text that is already rendered (a table, a tree), still through the redaction.</summary>
    public void WriteRaw(string text)
    {
        lock (_gate)
        {
            writer.Write(Masker.Redact(text));
            writer.Flush();
        }
    }

    private string Paint(string text, Style style)
    {
        if (!Color || style == Style.Plain)
            return text;
        var code = style switch
        {
            Style.Dim => "2",
            Style.Heading => "1;36",
            Style.Success => "32",
            Style.Warning => "33",
            Style.Error => "1;31",
            _ => "0",
        };
        return $"\u001b[{code}m{text}\u001b[0m";
    }
}
