namespace CloudAge.Tools.Container.Context;

/// <summary>
/// A build context being written as a tar: <see cref="Stream"/> is what the engine reads, <see cref="Writing"/> the
/// task that writes it. Disposing stops the writer (an engine that stopped reading leaves nothing running) and waits for it.
/// </summary>
public sealed class ContextTar : IAsyncDisposable
{
    private readonly CancellationTokenSource stop;
    private Exception? failure;

    internal ContextTar(Stream stream, CancellationTokenSource stop)
    {
        Stream = stream;
        this.stop = stop;
    }

    public Stream Stream { get; }

    /// <summary>Completes when the whole tar is written; faults with the reading error when a file could not be read.</summary>
    public Task Writing { get; internal set; } = Task.CompletedTask;

    /// <summary>
    /// Once <see cref="Writing"/> has completed: <see cref="BuildContext.DigestAsync"/>'s value for exactly what was sent,
    /// the bytes as the tar writer read them; null before that or when writing failed.
    /// </summary>
    public byte[]? SentDigest { get; internal set; }

    /// <summary>The writer's own failure, when it failed for a reason other than being stopped; otherwise null.</summary>
    public Exception? WriteFailure => Volatile.Read(ref failure) is { } e && e is not OperationCanceledException ? e : null;

    internal void RecordFailure(Exception e) => Interlocked.CompareExchange(ref failure, e, null);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        await Stream.DisposeAsync().ConfigureAwait(false);
        try
        {
            await Writing.ConfigureAwait(false);
        }
        catch
        {
            // Stopped, or already reported through WriteFailure by whoever read the stream.
        }
        stop.Dispose();
    }
}
