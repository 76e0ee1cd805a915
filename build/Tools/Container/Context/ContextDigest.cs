using System.Security.Cryptography;
using System.Text;

namespace CloudAge.Tools.Container.Context;

/// <summary>
/// The SHA-256 that names a build context's content for the build records: entry by entry, what its tar holds (kind,
/// name, mode, modification time, link target; a file's size and bytes; the Dockerfile with its appended instructions).
/// One definition, fed two ways: by <see cref="BuildContext.DigestAsync"/> reading the files, and by the tar writer
/// with the very bytes it sends, so a build's key can be checked against what the engine received without reading the
/// context again.
/// </summary>
internal sealed class ContextDigest : IDisposable
{
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public static string Kind(FileSystemInfo info) => info.LinkTarget is not null ? "link" : info is DirectoryInfo ? "dir" : "file";

    // Windows has no mode bits; the Docker CLI sends 0755 for everything it reads there.
    public static UnixFileMode Mode(FileSystemInfo info) => OperatingSystem.IsWindows() ? (UnixFileMode)0b111_101_101 : info.UnixFileMode;

    public void Entry(string relative, FileSystemInfo info) =>
        Text($"{Kind(info)}\0{relative}\0{(int)Mode(info)}\0{info.LastWriteTimeUtc.Ticks}\0{info.LinkTarget}\0");

    /// <summary>A file's bytes follow its length.</summary>
    public void FileLength(long length) => Text($"{length}\0");

    /// <summary>An entry's bytes: a file's after its <see cref="FileLength"/>, or the Dockerfile as sent, with its
    /// appended instructions and no length (it is not the file on disk).</summary>
    public void Bytes(ReadOnlySpan<byte> data) => hash.AppendData(data);

    public byte[] Finish() => hash.GetHashAndReset();

    public void Dispose() => hash.Dispose();

    private void Text(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text));
}

/// <summary>A file being sent, read through: every byte read also goes into the context's digest.</summary>
internal sealed class DigestingReadStream(FileStream file, ContextDigest digest) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => file.CanSeek; // the tar writer takes the size from Length and Position
    public override bool CanWrite => false;
    public override long Length => file.Length;

    public override long Position
    {
        get => file.Position;
        set => throw new NotSupportedException("The context is read once, front to back.");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = file.Read(buffer);
        digest.Bytes(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await file.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        digest.Bytes(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("The context is read once, front to back.");
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override void Flush() { }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            file.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await file.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
