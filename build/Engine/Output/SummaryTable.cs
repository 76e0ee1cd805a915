using System.Globalization;
using System.Text;
using CloudAge.Common.Secrets;
using CloudAge.Engine.Planning;

namespace CloudAge.Engine.Output;

/// <summary>The end-of-build table (target, status, duration, note) as console text and as Markdown.</summary>
public static class SummaryTable
{
    public static IEnumerable<(string Target, TargetStatus Status, string Duration, string Note)> Rows(ExecutionPlan plan) =>
        plan.Targets.Select(t => (t.Name, t.Status, Format(t), t.Note ?? string.Empty));

    public static string Text(ExecutionPlan plan, TimeSpan total)
    {
        var rows = Rows(plan).ToList();
        var widths = new[]
        {
            Math.Max("Target".Length, rows.Select(r => r.Target.Length).DefaultIfEmpty().Max()),
            Math.Max("Status".Length, rows.Select(r => r.Status.ToString().Length).DefaultIfEmpty().Max()),
            Math.Max("Duration".Length, rows.Select(r => r.Duration.Length).Append(Seconds(total).Length).Max()),
        };
        var lines = rows.Select(row => Row(row.Target, row.Status.ToString(), row.Duration, Shorten(row.Note))).ToList();
        var header = Row("Target", "Status", "Duration", "Note");
        var totalLine = Row("Total", string.Empty, Seconds(total), string.Empty);
        var width = lines.Append(header).Append(totalLine).Max(l => l.Length);
        var text = new StringBuilder();
        text.AppendLine(new string('═', width));
        text.AppendLine(header);
        text.AppendLine(new string('─', width));
        foreach (var line in lines)
            text.AppendLine(line);
        text.AppendLine(new string('─', width));
        text.AppendLine(totalLine);
        text.AppendLine(new string('═', width));
        return text.ToString();

        string Row(string target, string status, string duration, string note) =>
            $"{target.PadRight(widths[0])}   {status.PadRight(widths[1])}   {duration.PadLeft(widths[2])}   {note}".TrimEnd();
    }

    /// <summary>
    /// The table, the final line and each target's outputs for $GITHUB_STEP_SUMMARY, which GitHub renders as Markdown
    /// with HTML. Every text that is not ours (a failure's first line, an output value) is redacted, cut and escaped
    /// (<see cref="MarkdownText"/>), so it shows as written and stays in its cell.
    /// </summary>
    public static string Markdown(ExecutionPlan plan, string finalLine, SecretMasker masker)
    {
        var text = new StringBuilder();
        text.AppendLine("| Target | Status | Duration | Note |");
        text.AppendLine("|---|---|---:|---|");
        foreach (var row in Rows(plan))
            text.AppendLine($"| {row.Target} | {Icon(row.Status)} {row.Status} | {row.Duration} | {MarkdownText(masker.Redact(row.Note), NoteLimit)} |");
        text.AppendLine();
        text.AppendLine(MarkdownText(masker.Redact(finalLine), int.MaxValue));
        foreach (var target in plan.Targets.Where(t => t.Outputs.Count > 0))
        {
            text.AppendLine();
            text.AppendLine($"**{target.Name} outputs**");
            text.AppendLine();
            foreach (var (name, value) in target.Outputs)
                text.AppendLine($"- `{name}`: <code>{MarkdownText(masker.Redact(value), OutputLimit)}</code>");
        }
        text.AppendLine();
        return text.ToString();
    }

    // The runner drops a step summary over 1 MiB whole (actions/runner src/Runner.Worker/FileCommandManager.cs,
    // CreateStepSummaryCommand.AttachmentSizeLimit); with a few dozen targets and outputs cut at these lengths (at most
    // six bytes each once escaped) the summary stays far below it. The full text is in the log.
    private const int NoteLimit = 500;
    private const int OutputLimit = 2000;

    /// <summary>
    /// Text as GitHub's Markdown (cmark-gfm) shows it literally, on one line: each character that means something inline
    /// in Markdown or HTML (a cell's '|', a code span's backtick, emphasis, links and images, tags and comments, entities,
    /// backslash escapes, $math$) becomes a numeric character reference, which renders as that character and is never
    /// markup (CommonMark spec, "Entity and numeric character references"); line breaks and other control characters
    /// become spaces, since a table row and a list item are one line. Longer text is cut with a note. Redact before
    /// calling: once escaped, a secret holding one of these characters would no longer match the masker.
    /// </summary>
    internal static string MarkdownText(string text, int limit)
    {
        var cut = text.Length > limit;
        if (cut)
            text = text[..(char.IsHighSurrogate(text[limit - 1]) ? limit - 1 : limit)];
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (char.IsControl(c))
                escaped.Append(' ');
            else if (c is '\\' or '`' or '*' or '_' or '~' or '[' or ']' or '!' or '<' or '>' or '&' or '|' or '$' or '#' or '"')
                escaped.Append("&#").Append(((int)c).ToString(CultureInfo.InvariantCulture)).Append(';');
            else
                escaped.Append(c);
        }
        return cut ? escaped.Append(" … (cut; the whole text is in the log)").ToString() : escaped.ToString();
    }

    private static string Icon(TargetStatus status) => status switch
    {
        TargetStatus.Succeeded or TargetStatus.Collective => "✅",
        TargetStatus.Failed or TargetStatus.Aborted => "❌",
        TargetStatus.Skipped => "⏭️",
        _ => "⏸️",
    };

    private static string Format(PlannedTarget target) =>
        target.Status is TargetStatus.Succeeded or TargetStatus.Failed or TargetStatus.Aborted or TargetStatus.Collective
            ? Seconds(target.Duration)
            : "–";

    public static string Seconds(TimeSpan duration) =>
        duration.TotalSeconds < 10
            ? duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s"
            : duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    private static string Shorten(string note) => note.Length <= 80 ? note : note[..77] + "...";
}
