using CloudAge.Common.Secrets;
using CloudAge.Engine.Output;
using CloudAge.Engine.Planning;

namespace CloudAge.Engine.Hosts;

/// <summary>Where the build runs; decides how target logs are framed and where summaries and outputs go.</summary>
public interface IBuildHost
{
    string Name { get; }
    bool IsLocal { get; }
    /// <summary>True when the console must keep text from being read as a workflow command (GitHub Actions).</summary>
    bool GuardsWorkflowCommands => false;
    /// <summary>Lines the host needs before anything else of the run is printed.</summary>
    IReadOnlyList<ConsoleLine> Start() => [];
    /// <summary>What this host shows for a failure before any target ran (bad usage, an unmet requirement).</summary>
    ConsoleLine SetupFailure(string message) => new(message, Style.Error);
    ConsoleLine TargetHeader(string target);
    ConsoleLine? TargetFooter(string target);
    /// <summary>What this host shows for a log message: the text, or an annotation command on GitHub Actions.</summary>
    ConsoleLine Render(LogLevel level, string message, Style style);
    /// <summary>A problem at a place in a file: <c>file:line:column: message</c>, or an annotation on GitHub Actions.</summary>
    ConsoleLine Annotate(string file, int line, int column, string message);
    void ReportFailure(string target, string message, BuildConsole console);
    void WriteSummary(ExecutionPlan plan, string finalLine, SecretMasker masker);
    void WriteOutputs(IReadOnlyDictionary<string, string> outputs, SecretMasker masker);
}
