using System.Text.RegularExpressions;
using CloudAge.Testing;

namespace CloudAge.Build.Tests;

/// <summary>
/// Every message in README's troubleshooting table is one the build really prints: each literal piece of the row (the
/// text between "...", &lt;placeholders&gt; and N) is found verbatim in the build's source (a message literal) or in the
/// output of real runs of the build class that provoke it.
/// </summary>
public sealed partial class TroubleshootingTableTests
{
    private static readonly string Root = Prerequisites.RepositoryRoot();

    public static TheoryData<string> Rows()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        var section = readme[readme.IndexOf("## Troubleshooting\n", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 5, StringComparison.Ordinal)];
        var rows = new TheoryData<string>();
        foreach (var line in section.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            // A row may quote more than one message ("`...` or `...`", "`...` / `...`"): each is checked. A later
            // span too short to hold a literal piece (`GH006`) is a name, not a message.
            var spans = Spans().Matches(line.Split('|')[1]).Select(m => m.Groups[1].Value).ToList();
            rows.Add(spans[0]);
            foreach (var span in spans.Skip(1).Where(s => Pieces(s).Count > 0))
                rows.Add(span);
        }
        return rows;
    }

    private static readonly Lazy<string> Corpus = new(() =>
    {
        var sources = Directory.EnumerateFiles(Path.Combine(Root, "build"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText)
            .Append(File.ReadAllText(Path.Combine(Root, "build.sh")));
        return string.Join('\n', sources.Append(ProvokedOutput()));
    });

    // Messages whose words are put together at run time, provoked through the real build class.
    private static string ProvokedOutput()
    {
        var root = Directory.CreateTempSubdirectory("cloudage-troubleshooting-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, ".nuke"));
            var none = new Dictionary<string, string>();
            var outputs = new List<string>
            {
                BadInputTests.Run(root, none, "--sync-timeout", "NaN", "--plan").Output,
                BadInputTests.Run(root, none, "Pushecr2").Output,
                BadInputTests.Run(root, none, "GetUrl", "--kubeconfig", "build.sh-is-not-yaml").Output,
                BadInputTests.Run(root, new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true" }, "--git-token", "ghs_x0123456789", "--plan").Output,
            };
            File.WriteAllText(Path.Combine(root, ".nuke", "parameters.json"), """{ "Commit": "abcdef1", "Commit": "abcdef2" }""");
            outputs.Add(BadInputTests.Run(root, none, "--plan").Output);
            File.WriteAllText(Path.Combine(root, ".nuke", "parameters.json"), """{ "SyncTimout": "5m" }""");
            outputs.Add(BadInputTests.Run(root, none, "--plan").Output);
            return string.Join('\n', outputs);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Each_troubleshooting_message_is_printed_by_the_build(string message)
    {
        var pieces = Pieces(message);

        Assert.NotEmpty(pieces);
        foreach (var piece in pieces)
            Assert.True(Found(piece), $"README's troubleshooting row `{message}`: \"{piece}\" is printed nowhere in the build.");
    }

    [Fact]
    public void The_table_has_the_rows_of_the_hardened_failures()
    {
        var rows = ((IEnumerable<object[]>)Rows()).Select(r => (string)r[0]).ToList();

        Assert.Contains(rows, r => r.Contains("is not valid. Expected a duration", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("--argocd-insecure", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("stalled", StringComparison.Ordinal));
    }

    private static List<string> Pieces(string message) => Placeholder().Split(message).Select(p => p.Trim()).Where(p => p.Length >= 8).ToList();

    // Verbatim: a paraphrase in the README would send a user searching for words the build never prints.
    private static bool Found(string piece) => Corpus.Value.Contains(piece, StringComparison.Ordinal);

    [GeneratedRegex(@"\.\.\.|<[^>]+>|\bN\b")]
    private static partial Regex Placeholder();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Spans();
}
