using System.Text.RegularExpressions;
using Docker.DotNet.Models;

namespace CloudAge.Tools.Container.Pushing;

/// <summary>Reads the engine's push message stream: layer progress, uploaded bytes, the pushed digest and the error.</summary>
internal sealed partial class PushStream(string tag, IProgress<LayerProgress>? progress, Dictionary<string, long> bytesPerLayer)
{
    public string? Error { get; private set; }

    public string? Digest { get; private set; }

    public void OnMessage(JSONMessage message)
    {
        if (message.Error?.Message is { Length: > 0 } error)
            Error ??= error;
        if (message.Status is not { } status)
            return;
        if (DigestLine().Match(status) is { Success: true } m)
            Digest = m.Groups["digest"].Value;
        if (string.IsNullOrEmpty(message.ID) || message.ID == tag)
            return;
        var current = message.Progress?.Current ?? 0;
        var total = message.Progress?.Total ?? 0;
        // A layer counts as uploaded by the most the engine reported sending for it, across tags and retries.
        if (status == "Pushing")
            bytesPerLayer[message.ID] = Math.Max(bytesPerLayer.GetValueOrDefault(message.ID), current);
        progress?.Report(new LayerProgress(tag, message.ID, status, current, total));
    }

    // The engine's registry errors for a failure that may pass: 5xx, throttling, dropped or refused connections.
    public static bool IsTransient(string error) => Transient().IsMatch(error);

    [GeneratedRegex(@"digest: (?<digest>sha256:[0-9a-f]{64})")]
    private static partial Regex DigestLine();

    [GeneratedRegex(@"\b50[0-4]\b|service unavailable|bad gateway|toomanyrequests|too many requests|connection refused|connection reset|broken pipe|i/o timeout|TLS handshake timeout|unexpected EOF|\bEOF\b", RegexOptions.IgnoreCase)]
    private static partial Regex Transient();
}
