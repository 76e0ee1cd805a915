using System.Text;

namespace CloudAge.Common.IO;

/// <summary>
/// Writes a file so readers see the old content or the new, never half of it: the bytes go to a hidden temporary
/// file in the same folder (so the rename stays on one file system), which is then renamed over the target. A
/// failed write leaves the target as it was and no temporary file behind. As a plain write does, it keeps what is not
/// content: a symbolic link is written through (the link stays a link, the file it leads to gets the bytes), and an
/// existing file keeps its permission bits. A temporary file a killed process left beside the target (SIGKILL, power
/// loss) is removed by the next write of that target once it is <see cref="StaleAfter"/> old.
/// </summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Older than this, a temporary file of the target belongs to no write in progress.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(10);

    /// <summary>Writes <paramref name="content"/> as UTF-8 without a byte-order mark.</summary>
    public static void Write(string path, string content) => WriteBytes(path, Utf8NoBom.GetBytes(content));

    public static void WriteBytes(string path, byte[] content)
    {
        path = Target(path);
        var temporary = Temporary(path);
        try
        {
            File.WriteAllBytes(temporary, content);
            KeepMode(path, temporary);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
        RemoveStale(path);
    }

    /// <summary>Writes <paramref name="content"/> as UTF-8 without a byte-order mark.</summary>
    public static async Task WriteAsync(string path, string content, CancellationToken cancellationToken = default)
    {
        path = Target(path);
        var temporary = Temporary(path);
        try
        {
            await File.WriteAllBytesAsync(temporary, Utf8NoBom.GetBytes(content), cancellationToken).ConfigureAwait(false);
            KeepMode(path, temporary);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
        RemoveStale(path);
    }

    /// <summary>The file a write of <paramref name="path"/> changes: the final target when it is a symbolic link.</summary>
    public static string Target(string path) =>
        new FileInfo(path).LinkTarget is not null && File.ResolveLinkTarget(path, returnFinalTarget: true) is { } target ? target.FullName : path;

    // A rename brings the temporary file's mode along: give it the target's (an executable script stays executable).
    private static void KeepMode(string path, string temporary)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path))
            File.SetUnixFileMode(temporary, File.GetUnixFileMode(path));
    }

    private static void RemoveStale(string path)
    {
        var full = Path.GetFullPath(path);
        var name = Path.GetFileName(full);
        var prefix = $".{name}.";
        try
        {
            foreach (var candidate in Directory.EnumerateFiles(Path.GetDirectoryName(full)!, $".{name}.*.tmp"))
            {
                var middle = Path.GetFileName(candidate)[prefix.Length..^".tmp".Length];
                if (middle.Length == 32 && middle.All(char.IsAsciiHexDigitLower)
                    && DateTime.UtcNow - File.GetLastWriteTimeUtc(candidate) > StaleAfter)
                    File.Delete(candidate);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only tidying: the write itself has succeeded.
        }
    }

    private static string Temporary(string path)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
    }
}
