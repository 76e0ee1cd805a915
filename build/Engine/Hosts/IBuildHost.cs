using CloudAge.Common.Secrets;
using CloudAge.Engine.Output;
using CloudAge.Engine.Planning;

namespace CloudAge.Engine.Hosts;

/// <summary>Where the build runs; decides how target logs are framed and where summaries and outputs go.</summary>
public interface IBuildHost
{
    string Name { get; }
    bool IsLocal { get; }
    string TargetHeader(string target);
    string? TargetFooter(string target);
    /// <summary>Turns a log message into what this host shows (an annotation on GitHub Actions).</summary>
    string Decorate(LogLevel level, string message);
    /// <summary>A problem at a place in a file: <c>file:line:column: message</c>, or an annotation on GitHub Actions.</summary>
    string Annotate(string file, int line, int column, string message);
    void ReportFailure(string target, string message, BuildConsole console);
    void WriteSummary(ExecutionPlan plan, string finalLine, SecretMasker masker);
    void WriteOutputs(IReadOnlyDictionary<string, string> outputs, SecretMasker masker);
}
