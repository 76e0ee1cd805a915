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

/// <summary>A line for the console: text (styled, and kept from being read as a workflow command) or a workflow command.</summary>
public readonly record struct ConsoleLine(string Text, Style Style = Style.Plain, bool IsCommand = false)
{
    /// <summary>A workflow command built by <see cref="WorkflowCommands.Format"/>: written at the start of its line, never coloured.</summary>
    public static ConsoleLine Command(string command) => new(command, Style.Plain, IsCommand: true);
}

/// <summary>
/// The one writer every line of a build goes through: it redacts secrets, colours (unless NO_COLOR or not a
/// terminal), and writes blocks whole so lines of parallel targets never interleave. With
/// <see cref="GuardsWorkflowCommands"/> (on GitHub Actions) only <see cref="ConsoleLine.Command"/> lines can be read as
/// workflow commands: they go out uncoloured, and text that would parse as one is fenced by
/// <see cref="WorkflowCommands.ProtectText"/>.
/// </summary>
public sealed class BuildConsole(TextWriter writer, bool color, SecretMasker masker, Verbosity verbosity, bool guardsWorkflowCommands = false)
{
    private readonly Lock _gate = new();

    public SecretMasker Masker { get; } = masker;
    public Verbosity Verbosity { get; } = verbosity;
    public bool Color { get; } = color;
    public bool GuardsWorkflowCommands { get; } = guardsWorkflowCommands;

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

    public void WriteLine(string text = "", Style style = Style.Plain) => WriteLines([new ConsoleLine(text, style)]);

    public void WriteBlock(IReadOnlyList<(string Text, Style Style)> lines) =>
        WriteLines(lines.Select(l => new ConsoleLine(l.Text, l.Style)).ToList());

    public void WriteLines(IReadOnlyList<ConsoleLine> lines)
    {
        lock (_gate)
        {
            foreach (var line in lines)
            {
                var text = Masker.Redact(line.Text);
                if (line.IsCommand)
                {
                    // A command must be the first thing on its line: no colour code, nothing before "::".
                    writer.WriteLine(text);
                    continue;
                }
                foreach (var (part, isText) in Guard(WorkflowCommands.Lines(text)))
                    writer.WriteLine(isText ? Paint(part, line.Style) : part);
            }
            writer.Flush();
        }
    }

    /// <summary>Writes text that is already rendered (a table, a tree), still through the redaction and the command guard.</summary>
    public void WriteRaw(string text)
    {
        lock (_gate)
        {
            var redacted = Masker.Redact(text);
            if (GuardsWorkflowCommands && WorkflowCommands.Lines(redacted).Any(WorkflowCommands.CouldBeCommand))
            {
                foreach (var (part, _) in Guard(WorkflowCommands.Lines(redacted)))
                    writer.WriteLine(part);
            }
            else
            {
                writer.Write(redacted);
            }
            writer.Flush();
        }
    }

    // The fence lines are commands (never painted); everything between them is text.
    private IEnumerable<(string Line, bool IsText)> Guard(IReadOnlyList<string> lines)
    {
        if (!GuardsWorkflowCommands)
            return lines.Select(l => (l, true));
        var protectedLines = WorkflowCommands.ProtectText(lines, out var token);
        return token is null
            ? protectedLines.Select(l => (l, true))
            : protectedLines.Select((l, i) => (l, i > 0 && i < protectedLines.Count - 1));
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
