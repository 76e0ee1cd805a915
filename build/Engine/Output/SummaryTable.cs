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
        var text = new StringBuilder();
        var rule = new string('═', widths.Sum() + 6 + Math.Min(60, rows.Select(r => r.Note.Length).DefaultIfEmpty().Max() + 2));
        text.AppendLine(rule);
        text.AppendLine(Row("Target", "Status", "Duration", "Note"));
        text.AppendLine(new string('─', rule.Length));
        foreach (var row in rows)
            text.AppendLine(Row(row.Target, row.Status.ToString(), row.Duration, Shorten(row.Note)));
        text.AppendLine(new string('─', rule.Length));
        text.AppendLine(Row("Total", string.Empty, Seconds(total), string.Empty));
        text.AppendLine(rule);
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
