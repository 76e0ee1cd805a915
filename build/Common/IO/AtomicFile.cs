using System.Text;

namespace CloudAge.Common.IO;

/// <summary>
/// Writes a file so readers see the old content or the new, never half of it: the bytes go to a hidden temporary
/// file in the same folder (so the rename stays on one file system), which is then renamed over the target. A
/// failed write leaves the target as it was and no temporary file behind. As a plain write does, it keeps what is not
/// content: a symbolic link is written through (the link stays a link, the file it leads to gets the bytes), and an
/// existing file keeps its permission bits.
/// </summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

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

    private static string Temporary(string path)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
    }
}
