using System.Text.RegularExpressions;
using CloudAge.Testing;

namespace CloudAge.Build.Tests;

/// <summary>
/// Every ./build.sh (or scripts/*.sh wrapper) command the docs show a reader names targets and options the build has:
/// a renamed target or flag leaves no copy-paste command behind that the build refuses.
/// </summary>
public sealed partial class DocumentedCommandTests
{
    private static readonly string Root = Prerequisites.RepositoryRoot();

    // Engine options that take no value: a word after one of them is a target.
    private static readonly HashSet<string> Switches = ["--help", "--plan", "--dry-run", "--parallel", "--continue", "--no-logo"];

    public static TheoryData<string> Documents()
    {
        var files = new[] { "README.md", "infra/README.md", "app/README.md" }
            .Concat(Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Select(f => Path.GetRelativePath(Root, f)))
            .Concat(Directory.GetFiles(Path.Combine(Root, "build"), "README.md", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Root, f)));
        var data = new TheoryData<string>();
        foreach (var file in files.Where(f => File.Exists(Path.Combine(Root, f))))
            data.Add(file.Replace('\\', '/'));
        return data;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Each_build_command_in_a_document_names_real_targets_and_options(string file)
    {
        var help = RepositoryConsistencyTests.PrintHelp();
        var targets = HelpTarget().Matches(help).Select(m => m.Groups[1].Value).ToHashSet();
        var options = HelpOption().Matches(help).Select(m => m.Groups[1].Value).ToHashSet();
        var text = Continuation().Replace(File.ReadAllText(Path.Combine(Root, file)), " ");

        var wrong = new List<string>();
        foreach (Match command in Command().Matches(text))
        {
            string? previous = null;
            foreach (var token in command.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (token.StartsWith("--", StringComparison.Ordinal))
                {
                    var flag = token.Split('=')[0];
                    if (!options.Contains(flag))
                        wrong.Add($"option {flag} in '{command.Value.Trim()}'");
                }
                else if (TargetWord().IsMatch(token) && (previous is null || !previous.StartsWith("--", StringComparison.Ordinal) || previous.Contains('=', StringComparison.Ordinal) || Switches.Contains(previous)) && !targets.Contains(token))
                {
                    wrong.Add($"target {token} in '{command.Value.Trim()}'");
                }
                previous = token;
            }
        }

        Assert.True(wrong.Count == 0, $"{file} shows commands the build refuses: {string.Join("; ", wrong)}");
    }

    [GeneratedRegex(@"\\\n\s*")]
    private static partial Regex Continuation();

    // A command and the words that follow it on its line, up to what ends a command in prose or a code block.
    [GeneratedRegex(@"(?:\./build\.sh|scripts/[a-z-]+\.sh)((?: +[^\s`|;&#)(]+)*)")]
    private static partial Regex Command();

    [GeneratedRegex(@"^[A-Z][a-z][A-Za-z]*$")]
    private static partial Regex TargetWord();

    [GeneratedRegex(@"^  (\w+)(?: \(default\))?(?: -> .+)?$", RegexOptions.Multiline)]
    private static partial Regex HelpTarget();

    [GeneratedRegex(@"^  (--[a-z-]+)", RegexOptions.Multiline)]
    private static partial Regex HelpOption();
}
