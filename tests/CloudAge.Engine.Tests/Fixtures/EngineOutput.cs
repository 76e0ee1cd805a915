using System.Text.RegularExpressions;

namespace CloudAge.Engine.Tests.Fixtures;

/// <summary>Makes engine output comparable between runs (<see cref="CloudAge.Testing.Snapshot"/>): times, dates and temp folders.</summary>
public static partial class EngineOutput
{
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
