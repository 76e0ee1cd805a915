using System.Formats.Tar;
using System.IO.Pipelines;
using CloudAge.Common.IO;

namespace CloudAge.Tools.Container.Context;

/// <summary>
/// The build context the Docker engine receives: the files of a directory that its <c>.dockerignore</c> keeps,
/// walked and filtered as the Docker CLI walks them (moby's archive.TarWithOptions), as a tar stream.
/// </summary>
public static class BuildContext
{
    /// <summary>
    /// The context's entries relative to its root, with <c>/</c>, in the order they go into the tar; directories end with <c>/</c>.
    /// The Dockerfile and .dockerignore are always included.
    /// </summary>
    public static IReadOnlyList<string> ListEntries(string contextDirectory, string dockerfile = "Dockerfile")
    {
        var entries = new List<string>();
        Walk(contextDirectory, dockerfile, (relative, info) => entries.Add(info is DirectoryInfo ? relative + "/" : relative));
        return entries;
    }

    /// <summary>
    /// The context as a tar stream, written while it is read: a background task walks the files into a pipe, so the
    /// engine receives the first bytes at once and nothing is staged on disk or held in memory beyond the pipe's buffer.
    /// Owners are 0:0 as the Docker CLI sends them, which keeps the engine's cache stable across machines.
    /// A missing context throws here, before anything starts; a file that cannot be read fails the stream's reads
    /// and the returned <see cref="ContextTar.Writing"/> task with the reading error.
    /// </summary>
    /// <param name="dockerfileSuffix">Instructions appended to the Dockerfile in the tar only (the file on disk is left alone).</param>
    public static ContextTar OpenTar(string contextDirectory, string dockerfile = "Dockerfile", string? dockerfileSuffix = null, CancellationToken cancellationToken = default)
    {
        var found = new List<(string Relative, FileSystemInfo Info)>();
        Walk(contextDirectory, dockerfile, (relative, info) => found.Add((relative, info)), cancellationToken);
        // Large segments and a buffered sink: the engine gets the tar in 64 KiB chunks, not one HTTP chunk per tar write.
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19, minimumSegmentSize: 1 << 16, useSynchronizationContext: false));
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tar = new ContextTar(pipe.Reader.AsStream(), stop);
        // Not started with the token: a writer that never runs would leave the reader waiting for an end that never comes.
        tar.Writing = Task.Run(async () =>
        {
            try
            {
                await using (var sink = new BufferedStream(pipe.Writer.AsStream(leaveOpen: true), 1 << 16))
                    tar.SentDigest = await WriteTarAsync(found, dockerfile, dockerfileSuffix, sink, stop.Token).ConfigureAwait(false);
                await pipe.Writer.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Recorded before the reader is woken, so whoever sees the upload break also sees why.
                tar.RecordFailure(e);
                await pipe.Writer.CompleteAsync(e).ConfigureAwait(false);
                throw;
            }
        }, CancellationToken.None);
        return tar;
    }

    /// <summary>
    /// A SHA-256 over what the tar of the context holds, entry by entry (<see cref="ContextDigest"/>: name, type, mode,
    /// modification time, link target, size and bytes; the Dockerfile with <paramref name="dockerfileSuffix"/>), read
    /// from the files: computed from the entries, not from the tar's bytes, so it does not depend on how a tar library
    /// encodes them. The tar of <see cref="OpenTar"/> computes the same value over what it sends (<see cref="ContextTar.SentDigest"/>).
    /// </summary>
    public static async Task<byte[]> DigestAsync(string contextDirectory, string dockerfile = "Dockerfile", string? dockerfileSuffix = null, CancellationToken cancellationToken = default)
    {
        var found = new List<(string Relative, FileSystemInfo Info)>();
        Walk(contextDirectory, dockerfile, (relative, info) => found.Add((relative, info)), cancellationToken);
        var dockerfileName = dockerfile.Replace('\\', '/');
        using var digest = new ContextDigest();
        var buffer = new byte[1 << 16];
        foreach (var (relative, info) in found)
        {
            digest.Entry(relative, info);
            if (ContextDigest.Kind(info) != "file")
                continue;
            if (relative == dockerfileName && dockerfileSuffix is not null)
            {
                digest.Bytes(await DockerfileWithSuffixAsync(info.FullName, dockerfileSuffix, cancellationToken).ConfigureAwait(false));
                continue;
            }
            await using var file = new FileStream(info.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
            digest.FileLength(file.Length);
            int read;
            while ((read = await file.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                digest.Bytes(buffer.AsSpan(0, read));
        }
        return digest.Finish();
    }

    // Returns the digest of what it wrote (DigestAsync's value for the bytes actually read and sent).
    private static async Task<byte[]> WriteTarAsync(List<(string Relative, FileSystemInfo Info)> found, string dockerfile, string? dockerfileSuffix,
        Stream destination, CancellationToken cancellationToken)
    {
        using var digest = new ContextDigest();
        await using (var writer = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true))
        {
            var dockerfileName = dockerfile.Replace('\\', '/');
            foreach (var (relative, info) in found)
            {
                var suffix = relative == dockerfileName ? dockerfileSuffix : null;
                await WriteEntryAsync(writer, relative, info, suffix, digest, cancellationToken).ConfigureAwait(false);
            }
        }
        return digest.Finish();
    }

    private static void Walk(string contextDirectory, string dockerfile, Action<string, FileSystemInfo> include, CancellationToken cancellationToken = default)
    {
        var root = new DirectoryInfo(contextDirectory);
        if (!root.Exists)
            throw new ContainerException($"The build context '{contextDirectory}' does not exist; pass the directory that holds the Dockerfile.");
        var ignore = DockerIgnore.Load(contextDirectory).KeepingBuildFiles(dockerfile);
        WalkDirectory(root, string.Empty, null);

        void WalkDirectory(DirectoryInfo directory, string prefix, bool[]? parentMatched)
        {
            // Go's filepath.Walk visits names in lexical byte order; the tar (and so the engine's cache key) follows it.
            foreach (var info in directory.EnumerateFileSystemInfos().OrderBy(i => i.Name, StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var relative = prefix + info.Name;
                var (excluded, matched) = ignore.Evaluate(relative, parentMatched);
                var isDirectory = info is DirectoryInfo && info.LinkTarget is null;
                if (excluded)
                {
                    // Docker walks into an excluded directory only when an exception names a path below it literally.
                    if (isDirectory && ignore.Patterns.Any(p => p.Exclusion && (p.Text + "/").StartsWith(relative + "/", StringComparison.Ordinal)))
                        WalkDirectory((DirectoryInfo)info, relative + "/", matched);
                    continue;
                }
                // A FIFO, socket or device would block or fail the read; Docker's own walk does not read them either.
                if (info is FileInfo && info.LinkTarget is null && FileKinds.Of(info.FullName) is not (FileKind.Regular or FileKind.Missing) and var kind)
                    throw new ContainerException($"The build context holds '{relative}', which is a {Describe(kind)}, not a file; remove it from '{contextDirectory}' or add it to .dockerignore.");
                include(relative, info);
                if (isDirectory)
                    WalkDirectory((DirectoryInfo)info, relative + "/", matched);
            }
        }
    }

    // The Dockerfile as the tar carries it: the file's text with the suffix's instructions after its last line.
    private static async Task<byte[]> DockerfileWithSuffixAsync(string path, string suffix, CancellationToken cancellationToken) =>
        System.Text.Encoding.UTF8.GetBytes((await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)).TrimEnd() + "\n" + suffix + "\n");

    private static string Describe(FileKind kind) => kind switch
    {
        FileKind.Fifo => "FIFO (named pipe)",
        FileKind.Socket => "socket",
        FileKind.CharacterDevice or FileKind.BlockDevice => "device",
        _ => "special file",
    };

    private static async Task WriteEntryAsync(TarWriter writer, string relative, FileSystemInfo info, string? suffix, ContextDigest digest, CancellationToken cancellationToken)
    {
        digest.Entry(relative, info);
        PaxTarEntry entry;
        if (info.LinkTarget is { } target)
            entry = new PaxTarEntry(TarEntryType.SymbolicLink, relative) { LinkName = target };
        else if (info is DirectoryInfo)
            entry = new PaxTarEntry(TarEntryType.Directory, relative + "/");
        else
            entry = new PaxTarEntry(TarEntryType.RegularFile, relative);
        entry.Mode = ContextDigest.Mode(info);
        entry.ModificationTime = info.LastWriteTimeUtc;
        entry.Uid = 0;
        entry.Gid = 0;
        if (entry.EntryType != TarEntryType.RegularFile)
        {
            await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
            return;
        }
        Stream data;
        if (suffix is null)
        {
            var file = new FileStream(info.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous);
            digest.FileLength(file.Length);
            data = new DigestingReadStream(file, digest);
        }
        else
        {
            var bytes = await DockerfileWithSuffixAsync(info.FullName, suffix, cancellationToken).ConfigureAwait(false);
            digest.Bytes(bytes);
            data = new MemoryStream(bytes);
        }
        await using (data.ConfigureAwait(false))
        {
            entry.DataStream = data;
            await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
        }
    }
}
