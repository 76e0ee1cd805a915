using CloudAge.Common.IO;

namespace CloudAge.Engine.Tests;

/// <summary>A cache folder keeps its newest entries, files and folders alike, and leaves writes in flight and what is not its own alone.</summary>
public sealed class CacheFolderTests
{
    // In the past, so that an entry touched now is the newest.
    private static readonly DateTime Start = DateTime.UtcNow.AddDays(-60);

    private static bool Owned(string name) => name.StartsWith("file-", StringComparison.Ordinal) || name.StartsWith("folder-", StringComparison.Ordinal);

    [Fact]
    public void Only_the_newest_entries_are_kept_and_hidden_temporaries_are_left_alone()
    {
        using var folder = new TempDirectory();
        for (var i = 0; i < 4; i++)
        {
            var file = folder.Write($"file-{i}", "x");
            File.SetLastWriteTimeUtc(file, Start.AddDays(i * 2));
            var subfolder = Path.GetDirectoryName(folder.Write($"folder-{i}/entry", "x"))!;
            Directory.SetLastWriteTimeUtc(subfolder, Start.AddDays(i * 2 + 1));
        }
        File.SetLastWriteTimeUtc(folder.Write(".file-0.0123.tmp", "half"), Start.AddDays(-30));
        File.SetLastWriteTimeUtc(folder.Write("notes.txt", "someone else's"), Start.AddDays(-30));

        CacheFolder.KeepNewest(folder.Path, 3, Owned);

        Assert.Equal(new[] { ".file-0.0123.tmp", "file-3", "folder-2", "folder-3", "notes.txt" }, Names(folder.Path));
        CacheFolder.KeepNewest(folder.Path, 0, Owned);
        Assert.Equal(new[] { ".file-0.0123.tmp", "notes.txt" }, Names(folder.Path));
    }

    [Fact]
    public void A_touched_entry_counts_as_new_and_a_missing_folder_is_nothing_to_do()
    {
        using var folder = new TempDirectory();
        var old = Path.GetDirectoryName(folder.Write("folder-old/entry", "x"))!;
        Directory.SetLastWriteTimeUtc(old, Start);
        File.SetLastWriteTimeUtc(folder.Write("file-newer", "x"), Start.AddDays(1));

        Assert.True(CacheFolder.Touch(old));
        CacheFolder.KeepNewest(folder.Path, 1, Owned);

        Assert.Equal(new[] { "folder-old" }, Names(folder.Path));
        Assert.False(CacheFolder.Touch(folder.PathOf("gone")));
        CacheFolder.KeepNewest(folder.PathOf("gone"), 1, Owned);
        Assert.False(Directory.Exists(folder.PathOf("gone")));
    }

    private static string[] Names(string path) =>
        Directory.EnumerateFileSystemEntries(path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
}
