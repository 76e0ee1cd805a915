using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace CloudAge.Engine.Tests.Fixtures;

/// <summary>
/// Compares human-facing output with a file under Snapshots/. Times and dates are normalised first.
/// Run with UPDATE_SNAPSHOTS=1 to write the files after reviewing the change.
/// </summary>
public static partial class Snapshot
{
    public static void Match(string actual, string name, [CallerFilePath] string callerPath = "")
    {
        actual = Normalize(actual);
        var path = Path.Combine(Path.GetDirectoryName(callerPath)!, "Snapshots", name + ".txt");
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1" || !File.Exists(path))
        {
            if (!File.Exists(path) && Environment.GetEnvironmentVariable("CI") == "true")
                Assert.Fail($"Snapshot {name} is missing; run the tests locally with UPDATE_SNAPSHOTS=1 and commit it.");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }
        var expected = File.ReadAllText(path);
        Assert.Equal(expected, actual);
    }

    public static string Normalize(string text)
    {
        text = Duration().Replace(text, "0.00 s");
        text = Date().Replace(text, "<date>");
        text = Temp().Replace(text, "<root>");
        return text.Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\d+\.\d+ s")]
    private static partial Regex Duration();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")]
    private static partial Regex Date();

    [GeneratedRegex(@"/tmp/cloudage-engine-[A-Za-z0-9]+")]
    private static partial Regex Temp();
}
