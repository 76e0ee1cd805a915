using System.Globalization;
using System.Text;
using CloudAge.Common.Secrets;
using CloudAge.Engine.Output;
using CloudAge.Engine.Planning;

namespace CloudAge.Engine.Hosts;

/// <summary>
/// GitHub Actions (GITHUB_ACTIONS=true): a collapsible group per target, annotations for warnings and failures,
/// the summary appended to $GITHUB_STEP_SUMMARY and target outputs to $GITHUB_OUTPUT.
/// </summary>
public sealed class GitHubActionsHost(IReadOnlyDictionary<string, string> environment, SecretMasker secrets) : IBuildHost
{
    public static bool Detect(IReadOnlyDictionary<string, string> environment) =>
        environment.TryGetValue("GITHUB_ACTIONS", out var value) && value.Equals("true", StringComparison.OrdinalIgnoreCase);

    public string Name => "GitHubActions";
    public bool IsLocal => false;
    public bool GuardsWorkflowCommands => true;
    // actions/setup-dotnet switches on its "csc" problem matcher (.github/csc.json), and the runner applies problem
    // matchers even to lines inside a stop-commands fence (actions/runner OutputManager.OnDataReceived: the matchers run
    // on every line a command did not consume). Any text the build prints (an Argo CD message, a registry's answer) shaped
    // like "file(1): error CS0001: x [y]" would become an annotation: the matcher is removed, and compiler errors are
    // annotated by the build itself (Annotate).
    public IReadOnlyList<ConsoleLine> Start() => [ConsoleLine.Command(WorkflowCommands.Format("remove-matcher", string.Empty, ("owner", "csc")))];

    // An annotation, so a failure before any target ran shows on the run's page and not only in its log.
    public ConsoleLine SetupFailure(string message) =>
        ConsoleLine.Command(WorkflowCommands.Format("error", secrets.Redact(message), ("title", "The build could not start")));

    public ConsoleLine TargetHeader(string target) => ConsoleLine.Command(WorkflowCommands.Format("group", target));
    public ConsoleLine? TargetFooter(string target) => ConsoleLine.Command(WorkflowCommands.Format("endgroup", string.Empty));

    // Secrets are masked before escaping: once escaped, a secret holding '%', ':' or ',' would no longer match the masker.
    public ConsoleLine Render(LogLevel level, string message, Style style) => level switch
    {
        LogLevel.Warning => ConsoleLine.Command(WorkflowCommands.Format("warning", secrets.Redact(message))),
        LogLevel.Error => ConsoleLine.Command(WorkflowCommands.Format("error", secrets.Redact(message))),
        _ => new ConsoleLine(message, style),
    };

    // The location stays in the text for people reading the log; the properties put it on the file in the pull request.
    public ConsoleLine Annotate(string file, int line, int column, string message) =>
        ConsoleLine.Command(WorkflowCommands.Format("error", secrets.Redact($"{file}:{line}:{column}: {message}"),
            ("file", file), ("line", line.ToString(CultureInfo.InvariantCulture)), ("col", column.ToString(CultureInfo.InvariantCulture))));

    public void ReportFailure(string target, string message, BuildConsole console) =>
        console.WriteLines([ConsoleLine.Command(WorkflowCommands.Format("error", console.Masker.Redact(message), ("title", $"Target '{target}' failed")))]);

    public void WriteSummary(ExecutionPlan plan, string finalLine, SecretMasker masker)
    {
        if (!environment.TryGetValue("GITHUB_STEP_SUMMARY", out var path) || path.Length == 0)
            return;
        File.AppendAllText(path, SummaryTable.Markdown(plan, finalLine, masker));
    }

    public void WriteOutputs(IReadOnlyDictionary<string, string> outputs, SecretMasker masker)
    {
        if (outputs.Count == 0 || !environment.TryGetValue("GITHUB_OUTPUT", out var path) || path.Length == 0)
            return;
        var text = new StringBuilder();
        foreach (var (name, value) in outputs)
        {
            // The heredoc form carries any value, including one with newlines, without escaping.
            var delimiter = "EOF_" + Guid.NewGuid().ToString("N");
            text.Append(name).Append("<<").Append(delimiter).Append('\n')
                .Append(masker.Redact(value)).Append('\n')
                .Append(delimiter).Append('\n');
        }
        File.AppendAllText(path, text.ToString());
    }
}
