using CloudAge.Common.IO;

namespace CloudAge.Engine.Tests;

/// <summary>An atomic write changes the content and nothing else: a symbolic link stays a link, a file keeps its mode.</summary>
public sealed class AtomicFileTests
{
    [Fact]
    public async Task A_link_is_written_through_and_stays_a_link_and_a_file_keeps_its_mode()
    {
        if (OperatingSystem.IsWindows())
            return; // symbolic links and mode bits need a Unix file system here
        using var folder = new TempDirectory();
        var target = folder.Write("base/deployment.yaml", "old");
        const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(target, Executable);
        var link = folder.PathOf("k8s/deployment.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        File.CreateSymbolicLink(link, "../base/deployment.yaml");

        AtomicFile.Write(link, "new");

        Assert.Equal("../base/deployment.yaml", new FileInfo(link).LinkTarget);
        Assert.Equal("new", File.ReadAllText(target));
        Assert.Equal(Executable, File.GetUnixFileMode(target));

        await AtomicFile.WriteAsync(link, "newer");
        Assert.Equal("../base/deployment.yaml", new FileInfo(link).LinkTarget);
        Assert.Equal("newer", File.ReadAllText(target));
        Assert.Equal(Executable, File.GetUnixFileMode(target));
        // No temporary file is left in either folder.
        Assert.Equal(["deployment.yaml"], Directory.GetFiles(folder.PathOf("base")).Select(Path.GetFileName));
        Assert.Equal(["deployment.yaml"], Directory.GetFileSystemEntries(folder.PathOf("k8s")).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_temporary_file_a_killed_write_left_is_removed_by_the_next_write_once_it_is_stale(bool async)
    {
        using var folder = new TempDirectory();
        var target = folder.Write("artifacts/image.json", "old");
        var stale = folder.Write($"artifacts/.image.json.{new string('a', 32)}.tmp", "half");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow - AtomicFile.StaleAfter - TimeSpan.FromMinutes(1));
        // A write in progress elsewhere (fresh), and files that only look alike, stay.
        var fresh = folder.Write($"artifacts/.image.json.{new string('b', 32)}.tmp", "in progress");
        var other = folder.Write("artifacts/.image.json.notes.tmp", "mine");
        File.SetLastWriteTimeUtc(other, DateTime.UtcNow.AddDays(-1));

        if (async)
            await AtomicFile.WriteAsync(target, "new");
        else
            AtomicFile.Write(target, "new");

        Assert.Equal("new", File.ReadAllText(target));
        Assert.False(File.Exists(stale), "the stale temporary file is still there");
        Assert.True(File.Exists(fresh), "a fresh temporary file (another write in progress) was removed");
        Assert.True(File.Exists(other), "a file that is not one of ours was removed");
    }
}
