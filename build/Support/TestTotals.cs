using System.Xml.Linq;

namespace CloudAge.Build.Support;

/// <summary>The counts of a test run, summed over the TRX files `dotnet test --logger trx` wrote.</summary>
public sealed record TestTotals(int Passed, int Failed, int Skipped)
{
    public int Total => Passed + Failed + Skipped;

    /// <summary>The plain closing line CI readers look for: <c>N passed, N failed, N skipped</c>.</summary>
    public override string ToString() => $"{Passed} passed, {Failed} failed, {Skipped} skipped";

    public static TestTotals Read(string directory)
    {
        if (!Directory.Exists(directory))
            return new TestTotals(0, 0, 0);
        int passed = 0, failed = 0, skipped = 0;
        foreach (var file in Directory.EnumerateFiles(directory, "*.trx", SearchOption.AllDirectories))
        {
            var counters = XDocument.Load(file).Descendants().FirstOrDefault(e => e.Name.LocalName == "Counters");
            if (counters is null)
                continue;
            passed += Count(counters, "passed");
            failed += Count(counters, "failed") + Count(counters, "error") + Count(counters, "timeout") + Count(counters, "aborted");
            skipped += Count(counters, "notExecuted");
        }
        return new TestTotals(passed, failed, skipped);
    }

    private static int Count(XElement counters, string name) =>
        int.TryParse(counters.Attribute(name)?.Value, out var value) ? value : 0;
}
