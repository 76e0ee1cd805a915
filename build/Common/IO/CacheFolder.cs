namespace CloudAge.Common.IO;

/// <summary>
/// Bounds a cache folder that gains an entry per build or push: the newest entries (files or folders, by last write
/// time) are kept and the rest deleted, so a laptop or a self-hosted runner does not collect them for ever.
/// </summary>
public static class CacheFolder
{
    /// <summary>
    /// Deletes all but the <paramref name="keep"/> newest of the entries of <paramref name="directory"/> that are the
    /// cache's own (<paramref name="owned"/> by name): nothing else in the folder is counted or deleted, nor are the
    /// hidden temporaries of an <see cref="AtomicFile"/> write in flight. An entry that cannot be deleted now (gone
    /// meanwhile, in use) is left for the next call. A missing folder is nothing to do.
    /// </summary>
    public static void KeepNewest(string directory, int keep, Func<string, bool> owned)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keep);
        ArgumentNullException.ThrowIfNull(owned);
        var folder = new DirectoryInfo(directory);
        if (!folder.Exists)
            return;
        var stale = folder.EnumerateFileSystemInfos()
            .Where(entry => !entry.Name.StartsWith('.') && owned(entry.Name))
            .OrderByDescending(entry => entry.LastWriteTimeUtc)
            .ThenBy(entry => entry.Name, StringComparer.Ordinal)
            .Skip(keep);
        foreach (var entry in stale)
        {
            try
            {
                if (entry is DirectoryInfo subfolder)
                    subfolder.Delete(recursive: true);
                else
                    entry.Delete();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left for the next call: a cache entry kept a little longer costs nothing.
            }
        }
    }

    /// <summary>Marks an entry as used now, so <see cref="KeepNewest"/> keeps it; false when it cannot be marked.</summary>
    public static bool Touch(string path)
    {
        try
        {
            if (Directory.Exists(path))
                Directory.SetLastWriteTimeUtc(path, DateTime.UtcNow);
            else
                File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
