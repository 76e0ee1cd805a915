using System.Net;

namespace CloudAge.Common.Net;

/// <summary>
/// The no-progress rule for one upload try, written once: <see cref="Token"/> is cancelled when <see cref="Progress"/>
/// has not been called for <see cref="Timeout"/>, so a peer that stops taking bytes fails the try in seconds instead of
/// holding it until the whole try's timeout (or, for a socket with no timeout, for tens of minutes).
/// </summary>
public sealed class StallWatch : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationToken _outer;

    public StallWatch(TimeSpan timeout, CancellationToken outer)
    {
        if (timeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "A stall timeout must be positive.");
        Timeout = timeout;
        _outer = outer;
        _source = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _source.CancelAfter(timeout);
    }

    public TimeSpan Timeout { get; }

    /// <summary>Cancelled when the outer token is, or when no progress was reported for <see cref="Timeout"/>.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>True when <see cref="Token"/> was cancelled by the rule, not by the caller.</summary>
    public bool Stalled => _source.IsCancellationRequested && !_outer.IsCancellationRequested;

    /// <summary>Some bytes moved (or the peer said something): the silence starts again.</summary>
    public void Progress()
    {
        try
        {
            _source.CancelAfter(Timeout);
        }
        catch (ObjectDisposedException)
        {
            // A late report after the try ended.
        }
    }

    public void Dispose() => _source.Dispose();
}

/// <summary>
/// Request content that reports to a <see cref="StallWatch"/> every time a chunk of the inner content is written to
/// the connection; the writes block when the peer stops reading, and the reports stop with them.
/// </summary>
public sealed class WatchedContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly StallWatch _watch;

    public WatchedContent(HttpContent inner, StallWatch watch)
    {
        _inner = inner;
        _watch = watch;
        foreach (var (name, values) in inner.Headers)
            Headers.TryAddWithoutValidation(name, values);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await using var source = await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[81920];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            _watch.Progress();
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _inner.Headers.ContentLength ?? -1;
        return length >= 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _inner.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>An upload try that moved no bytes for the stall timeout; callers name the endpoint in their message.</summary>
public sealed class UploadStalledException(TimeSpan timeout)
    : TimeoutException($"the upload stalled: no progress for {timeout.TotalSeconds:0} s")
{
    public TimeSpan Timeout { get; } = timeout;
}
