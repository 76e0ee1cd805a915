using System.Globalization;
using System.Text;
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

    public static string Markdown(ExecutionPlan plan, string finalLine)
    {
        var text = new StringBuilder();
        text.AppendLine("| Target | Status | Duration | Note |");
        text.AppendLine("|---|---|---:|---|");
        foreach (var row in Rows(plan))
            text.AppendLine($"| {row.Target} | {Icon(row.Status)} {row.Status} | {row.Duration} | {row.Note.Replace("|", "\\|", StringComparison.Ordinal)} |");
        text.AppendLine();
        text.AppendLine(finalLine);
        foreach (var target in plan.Targets.Where(t => t.Outputs.Count > 0))
        {
            text.AppendLine();
            text.AppendLine($"**{target.Name} outputs**");
            text.AppendLine();
            foreach (var (name, value) in target.Outputs)
                text.AppendLine($"- `{name}`: `{value}`");
        }
        text.AppendLine();
        return text.ToString();
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
