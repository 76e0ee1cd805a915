using System.Formats.Tar;

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
    /// Writes the context as a tar into a temporary file that is deleted when the returned stream is closed,
    /// so large contexts do not sit in memory. Owners are 0:0 as the Docker CLI sends them, which keeps the engine's cache stable across machines.
    /// </summary>
    public static Task<Stream> CreateTarAsync(string contextDirectory, string dockerfile = "Dockerfile", CancellationToken cancellationToken = default) =>
        CreateTarAsync(contextDirectory, dockerfile, null, cancellationToken);

    /// <param name="dockerfileSuffix">Instructions appended to the Dockerfile in the tar only (the file on disk is left alone).</param>
    internal static async Task<Stream> CreateTarAsync(string contextDirectory, string dockerfile, string? dockerfileSuffix, CancellationToken cancellationToken)
    {
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            var found = new List<(string Relative, FileSystemInfo Info)>();
            Walk(contextDirectory, dockerfile, (relative, info) => found.Add((relative, info)));
            await using (var writer = new TarWriter(file, TarEntryFormat.Pax, leaveOpen: true))
            {
                var dockerfileName = dockerfile.Replace('\\', '/');
                foreach (var (relative, info) in found)
                {
                    var suffix = relative == dockerfileName ? dockerfileSuffix : null;
                    await WriteEntryAsync(writer, relative, info, suffix, cancellationToken).ConfigureAwait(false);
                }
            }
            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static void Walk(string contextDirectory, string dockerfile, Action<string, FileSystemInfo> include)
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
                include(relative, info);
                if (isDirectory)
                    WalkDirectory((DirectoryInfo)info, relative + "/", matched);
            }
        }
    }

    private static async Task WriteEntryAsync(TarWriter writer, string relative, FileSystemInfo info, string? suffix, CancellationToken cancellationToken)
    {
        PaxTarEntry entry;
        if (info.LinkTarget is { } target)
            entry = new PaxTarEntry(TarEntryType.SymbolicLink, relative) { LinkName = target };
        else if (info is DirectoryInfo)
            entry = new PaxTarEntry(TarEntryType.Directory, relative + "/");
        else
            entry = new PaxTarEntry(TarEntryType.RegularFile, relative);
        // Windows has no mode bits; the Docker CLI sends 0755 for everything it reads there.
        entry.Mode = OperatingSystem.IsWindows() ? (UnixFileMode)0b111_101_101 : info.UnixFileMode;
        entry.ModificationTime = info.LastWriteTimeUtc;
        entry.Uid = 0;
        entry.Gid = 0;
        if (entry.EntryType != TarEntryType.RegularFile)
        {
            await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
            return;
        }
        Stream data = suffix is null
            ? new FileStream(info.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous)
            : new MemoryStream(System.Text.Encoding.UTF8.GetBytes((await File.ReadAllTextAsync(info.FullName, cancellationToken).ConfigureAwait(false)).TrimEnd() + "\n" + suffix + "\n"));
        await using (data.ConfigureAwait(false))
        {
            entry.DataStream = data;
            await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
        }
    }
}
