using System.Runtime.CompilerServices;
using System.Text;

namespace CloudAge.Testing;

/// <summary>
/// Byte-for-byte comparison of output with a file under Snapshots/ beside the calling test's source file. A missing
/// or different snapshot fails, showing the first differing lines; UPDATE_SNAPSHOTS=1 writes the files instead
/// (review the git diff, then commit). Callers normalise what varies between runs (times, temp paths) first.
/// </summary>
public static class Snapshot
{
    public static void Match(string actual, string fileName, [CallerFilePath] string callerPath = "")
    {
        var path = Path.Combine(Path.GetDirectoryName(callerPath)!, "Snapshots", fileName);
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }
        Assert.True(File.Exists(path), $"Snapshot {path} does not exist; run the tests with UPDATE_SNAPSHOTS=1 to create it, then review and commit it.");
        var expected = File.ReadAllText(path);
        if (expected != actual)
            Assert.Fail($"Output differs from snapshot {fileName} (rerun with UPDATE_SNAPSHOTS=1 to accept the new output):\n{Differences(expected, actual)}");
    }

    /// <summary>The first differing line and a few after it, as <c>-snapshot</c> / <c>+output</c> lines.</summary>
    private static string Differences(string expected, string actual)
    {
        var before = expected.Split('\n');
        var after = actual.Split('\n');
        var first = 0;
        while (first < before.Length && first < after.Length && before[first] == after[first])
            first++;
        var text = new StringBuilder($"line {first + 1} (snapshot {before.Length} lines, output {after.Length}):\n");
        for (var i = first; i < first + 5; i++)
        {
            if (i < before.Length)
                text.Append('-').AppendLine(Visible(before[i]));
            if (i < after.Length)
                text.Append('+').AppendLine(Visible(after[i]));
        }
        return text.ToString();
    }

    private static string Visible(string line) => line.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal);
}
