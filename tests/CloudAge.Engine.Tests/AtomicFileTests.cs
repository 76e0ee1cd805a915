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
}
