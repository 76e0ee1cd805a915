using System.Text;
using CloudAge.Common.Secrets;
using CloudAge.Engine.Output;
using CloudAge.Engine.Planning;

namespace CloudAge.Engine.Hosts;

/// <summary>
/// GitHub Actions (GITHUB_ACTIONS=true): a collapsible group per target, annotations for warnings and failures,
/// the summary appended to $GITHUB_STEP_SUMMARY and target outputs to $GITHUB_OUTPUT.
/// </summary>
public sealed class GitHubActionsHost(IReadOnlyDictionary<string, string> environment) : IBuildHost
{
    public static bool Detect(IReadOnlyDictionary<string, string> environment) =>
        environment.TryGetValue("GITHUB_ACTIONS", out var value) && value.Equals("true", StringComparison.OrdinalIgnoreCase);

    public string Name => "GitHubActions";
    public bool IsLocal => false;
    public string TargetHeader(string target) => $"::group::{target}";
    public string? TargetFooter(string target) => "::endgroup::";

    public string Decorate(LogLevel level, string message) => level switch
    {
        _ when message.StartsWith("::", StringComparison.Ordinal) => message,
        LogLevel.Warning => $"::warning::{Escape(message)}",
        LogLevel.Error => $"::error::{Escape(message)}",
        _ => message,
    };

    // The location stays in the text for people reading the log; the properties put it on the file in the pull request.
    public string Annotate(string file, int line, int column, string message) =>
        $"::error file={file},line={line},col={column}::{Escape($"{file}:{line}:{column}: {message}")}";

    public void ReportFailure(string target, string message, BuildConsole console) =>
        console.WriteLine($"::error title=Target '{target}' failed::{Escape(console.Masker.Redact(message))}");

    public void WriteSummary(ExecutionPlan plan, string finalLine, SecretMasker masker)
    {
        if (!environment.TryGetValue("GITHUB_STEP_SUMMARY", out var path) || path.Length == 0)
            return;
        File.AppendAllText(path, masker.Redact(SummaryTable.Markdown(plan, finalLine)));
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

    // Workflow commands end at a newline; GitHub documents this escaping for their data.
    internal static string Escape(string text) =>
        text.Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);
}
