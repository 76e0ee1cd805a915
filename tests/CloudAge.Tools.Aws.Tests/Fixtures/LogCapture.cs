using System.Collections.Concurrent;
using CloudAge.Common.Secrets;

namespace CloudAge.Tools.Aws.Tests.Fixtures;

/// <summary>Everything a tool logged, plus the masker it was given, so tests can check that no secret got out.</summary>
public sealed class LogCapture
{
    private readonly ConcurrentQueue<string> _lines = new();

    public SecretMasker Masker { get; } = new();

    public Action<string> Log => _lines.Enqueue;

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public string Text => string.Join('\n', _lines);

    /// <summary>Fails when any of <paramref name="secrets"/> appears in the log or in <paramref name="alsoPrinted"/>.</summary>
    public void AssertNoneLeaked(IEnumerable<string> secrets, params string?[] alsoPrinted)
    {
        var everything = Text + "\n" + string.Join('\n', alsoPrinted);
        foreach (var secret in secrets)
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
    }
}
