using CloudAge.Common.Secrets;
using CloudAge.Engine.Output;
using CloudAge.Engine.Planning;

namespace CloudAge.Engine.Hosts;

/// <summary>A laptop or any CI without special support: plain framed logs, the summary on the console only.</summary>
public sealed class TerminalHost : IBuildHost
{
    public string Name => "Terminal";
    public bool IsLocal => true;
    public ConsoleLine TargetHeader(string target) => new($"── {target} " + new string('─', Math.Max(3, 60 - target.Length)), Style.Heading);
    public ConsoleLine? TargetFooter(string target) => null;
    public ConsoleLine Render(LogLevel level, string message, Style style) => new(message, style);
    public ConsoleLine Annotate(string file, int line, int column, string message) => new($"{file}:{line}:{column}: {message}", Style.Error);
    public void ReportFailure(string target, string message, BuildConsole console) { }
    public void WriteSummary(ExecutionPlan plan, string finalLine, SecretMasker masker) { }
    public void WriteOutputs(IReadOnlyDictionary<string, string> outputs, SecretMasker masker) { }
}
