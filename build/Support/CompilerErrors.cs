using System.Globalization;
using System.Text.RegularExpressions;

namespace CloudAge.Build.Support;

/// <summary>
/// The errors in <c>dotnet build</c>'s output as the C# compiler words them, <c>path(line,column): error CS0103: text
/// [project]</c>, to annotate them on their files: the build removes actions/setup-dotnet's "csc" problem matcher (see
/// GitHubActionsHost.Start), which would otherwise turn any printed line of that shape into an annotation.
/// </summary>
public static partial class CompilerErrors
{
    /// <summary>Each error once (MSBuild repeats them in its summary), its file relative to <paramref name="root"/> when below it.</summary>
    public static IReadOnlyList<CompilerError> Read(string output, string root)
    {
        ArgumentNullException.ThrowIfNull(output);
        var errors = new List<CompilerError>();
        foreach (var line in output.Split('\n'))
        {
            if (Diagnostic().Match(line.TrimEnd('\r')) is not { Success: true } match)
                continue;
            var file = match.Groups["file"].Value.Trim();
            var relative = Path.GetRelativePath(root, file);
            if (Path.IsPathRooted(file) && !relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative))
                file = relative;
            var error = new CompilerError(file.Replace('\\', '/'), int.Parse(match.Groups["line"].Value, CultureInfo.InvariantCulture),
                match.Groups["column"].Success ? int.Parse(match.Groups["column"].Value, CultureInfo.InvariantCulture) : 1,
                $"{match.Groups["code"].Value}: {match.Groups["message"].Value.Trim()}");
            if (!errors.Contains(error))
                errors.Add(error);
        }
        return errors;
    }

    // setup-dotnet's .github/csc.json pattern, errors only (warnings are errors in this build: they come as errors).
    [GeneratedRegex(@"^\s*(?<file>[^(\s][^(]*)\((?<line>\d+)(?:,(?<column>\d+)(?:,\d+,\d+)?)?\):\s+error\s+(?<code>[A-Za-z]+(?<!MSB)\d+):\s*(?<message>.*?)(?:\s+\[[^\]]*\])?$")]
    private static partial Regex Diagnostic();
}

/// <summary>One compiler error: the file (relative to the repository when below it), line, column, and code with text.</summary>
public sealed record CompilerError(string File, int Line, int Column, string Message);
