using System.Formats.Tar;
using CloudAge.Tools.Container.Context;
using CloudAge.Tools.Container.Tests.Fixtures;

namespace CloudAge.Tools.Container.Tests.Context;

public class BuildContextTests
{
    [Theory]
    [MemberData(nameof(DockerIgnoreCases.Names), MemberType = typeof(DockerIgnoreCases))]
    public void Context_holds_the_files_Docker_sends(string name)
    {
        var (_, ignore, excluded) = DockerIgnoreCases.Get(name);
        using var directory = new TempDirectory();
        DockerIgnoreCases.Write(directory, ignore);

        var files = BuildContext.ListEntries(directory.Path).Where(e => !e.EndsWith('/') && e is not "Dockerfile" and not ".dockerignore");

        Assert.Equal(DockerIgnoreCases.ExpectedFiles(excluded), files.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void Dockerfile_and_dockerignore_are_sent_even_when_a_pattern_matches_them()
    {
        using var directory = new TempDirectory();
        directory.Write("Dockerfile", "FROM scratch");
        directory.Write(".dockerignore", "*\n");
        directory.Write("a.txt");

        var entries = BuildContext.ListEntries(directory.Path);

        Assert.Equal([".dockerignore", "Dockerfile"], entries);
    }

    [Fact]
    public void A_lone_exclamation_mark_is_refused_as_Docker_refuses_it()
    {
        var error = Assert.Throws<ContainerException>(() => DockerIgnore.Parse("!\n"));

        Assert.Contains("only '!'", error.Message);
    }

    [Fact]
    public void An_unclosed_character_class_is_refused_with_the_pattern()
    {
        var error = Assert.Throws<ContainerException>(() => DockerIgnore.Parse("[abc\n"));

        Assert.Contains("'[abc'", error.Message);
    }

    [Theory]
    [InlineData("a/./b/../c", "a/c")]
    [InlineData("/x//y/", "/x/y")]
    [InlineData("./", ".")]
    [InlineData("../a", "../a")]
    public void Patterns_are_cleaned_like_Go_paths(string raw, string cleaned) =>
        Assert.Equal(cleaned, GoPath.Clean(raw));

    [Fact]
    public async Task Tar_holds_the_listed_entries_with_root_owners_and_content()
    {
        using var directory = new TempDirectory();
        directory.Write("Dockerfile", "FROM scratch");
        directory.Write("src/app.txt", "hello");
        directory.Write("skip.log", "no");
        directory.Write(".dockerignore", "*.log");

        await using var tar = BuildContext.OpenTar(directory.Path);
        var entries = new Dictionary<string, TarEntry>();
        using (var reader = new TarReader(tar.Stream, leaveOpen: true))
        {
            while (reader.GetNextEntry(copyData: true) is { } entry)
                entries[entry.Name] = entry;
        }

        Assert.Equal([".dockerignore", "Dockerfile", "src/", "src/app.txt"], entries.Keys.ToArray());
        Assert.All(entries.Values, e => Assert.Equal((0, 0), (e.Uid, e.Gid)));
        Assert.Equal("hello", new StreamReader(entries["src/app.txt"].DataStream!).ReadToEnd());
    }

    [Fact]
    public void A_missing_context_directory_is_a_clear_error()
    {
        var error = Assert.Throws<ContainerException>(() => BuildContext.OpenTar("/nonexistent/" + Guid.NewGuid()));

        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public async Task The_tar_streams_a_context_larger_than_its_pipe_and_ends_cleanly()
    {
        using var directory = new TempDirectory();
        directory.Write("Dockerfile", "FROM scratch");
        var big = new byte[5 << 20];
        Random.Shared.NextBytes(big);
        File.WriteAllBytes(System.IO.Path.Combine(directory.Path, "big.bin"), big);

        await using var tar = BuildContext.OpenTar(directory.Path);
        using var reader = new TarReader(tar.Stream, leaveOpen: true);
        byte[]? read = null;
        while (reader.GetNextEntry(copyData: true) is { } entry)
            if (entry.Name == "big.bin")
                read = new BinaryReader(entry.DataStream!).ReadBytes(big.Length + 1);
        await tar.Writing;

        Assert.Equal(big, read);
        Assert.Null(tar.WriteFailure);
    }

    [Fact]
    public async Task A_file_that_vanishes_while_the_tar_is_written_fails_the_stream_with_the_reading_error()
    {
        using var directory = new TempDirectory();
        directory.Write("Dockerfile", "FROM scratch");
        // 'a.bin' fills the pipe (1 MiB) and holds the writer until the stream is read; 'b.txt' is gone by then.
        File.WriteAllBytes(System.IO.Path.Combine(directory.Path, "a.bin"), new byte[4 << 20]);
        directory.Write("b.txt", "soon gone");

        await using var tar = BuildContext.OpenTar(directory.Path);
        File.Delete(System.IO.Path.Combine(directory.Path, "b.txt"));
        var error = await Assert.ThrowsAnyAsync<IOException>(() => tar.Stream.CopyToAsync(Stream.Null));

        Assert.IsType<FileNotFoundException>(error);
        Assert.IsType<FileNotFoundException>(tar.WriteFailure);
    }

    [Fact]
    public async Task The_tar_digests_what_it_sends_as_the_context_digest_reads_it()
    {
        if (OperatingSystem.IsWindows())
            return; // the symlink below needs a Unix file system
        using var directory = new TempDirectory();
        directory.Write("Dockerfile", "ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\n");
        directory.Write("src/app.txt", "hello");
        File.WriteAllBytes(directory.PathOf("data.bin"), RandomBytes(300_000));
        File.CreateSymbolicLink(directory.PathOf("link"), "src/app.txt");

        var read = await BuildContext.DigestAsync(directory.Path, dockerfileSuffix: "LABEL a=b");
        var sent = await SentDigestAsync(directory.Path, "LABEL a=b");

        // One definition fed two ways: a build's record is checked against what the engine got without a second read.
        Assert.Equal(Convert.ToHexString(read), Convert.ToHexString(sent));
        Assert.NotEqual(Convert.ToHexString(read), Convert.ToHexString(await SentDigestAsync(directory.Path, "LABEL a=c")));
        Assert.NotEqual(Convert.ToHexString(read), Convert.ToHexString(await BuildContext.DigestAsync(directory.Path, dockerfileSuffix: "LABEL a=c")));
    }

    [Fact]
    public async Task A_file_changed_while_the_tar_is_written_makes_a_digest_that_matches_neither_reading()
    {
        using var directory = new TempDirectory();
        directory.Write("Dockerfile", "FROM scratch");
        // 'a.bin' fills the pipe (1 MiB) and holds the writer until the stream is read; 'b.txt' changes before that.
        File.WriteAllBytes(directory.PathOf("a.bin"), new byte[4 << 20]);
        directory.Write("b.txt", "before");
        var before = Convert.ToHexString(await BuildContext.DigestAsync(directory.Path));

        await using var tar = BuildContext.OpenTar(directory.Path);
        Assert.Null(tar.SentDigest);
        directory.Write("b.txt", "after!");
        File.SetLastWriteTimeUtc(directory.PathOf("b.txt"), File.GetLastWriteTimeUtc(directory.PathOf("b.txt")).AddSeconds(5));
        await tar.Stream.CopyToAsync(Stream.Null);
        await tar.Writing;
        var sent = Convert.ToHexString(tar.SentDigest!);

        // The tar carried the old modification time (from the walk) and the new bytes: neither the inputs the key was
        // read from nor the files as they are now, so a build of it is never recorded under either.
        Assert.NotEqual(before, sent);
        Assert.NotEqual(Convert.ToHexString(await BuildContext.DigestAsync(directory.Path)), sent);
    }

    private static async Task<byte[]> SentDigestAsync(string directory, string suffix)
    {
        await using var tar = BuildContext.OpenTar(directory, dockerfileSuffix: suffix);
        await tar.Stream.CopyToAsync(Stream.Null);
        await tar.Writing;
        return tar.SentDigest!;
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void A_FIFO_in_the_context_is_a_clear_error_not_a_hang()
    {
        if (OperatingSystem.IsWindows())
            return; // no FIFOs in a Windows file system
        using var directory = new TempDirectory();
        directory.Write("Dockerfile", "FROM scratch");
        var fifo = System.IO.Path.Combine(directory.Path, "pipe");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo]))
            mkfifo.WaitForExit();

        var error = Assert.Throws<ContainerException>(() => BuildContext.OpenTar(directory.Path));

        Assert.Contains("'pipe', which is a FIFO (named pipe), not a file", error.Message);
        Assert.Contains(".dockerignore", error.Message);
    }

    [Fact]
    public async Task A_stopped_walk_ends_at_the_next_entry_instead_of_reading_the_whole_context()
    {
        using var directory = new TempDirectory();
        directory.Write("Dockerfile", "FROM scratch");
        for (var i = 0; i < 50; i++)
            directory.Write($"d{i}/f.txt", "x");
        using var stopped = new CancellationTokenSource();
        await stopped.CancelAsync();

        // Build records hash the context beside the engine's answer and stop the hash when no key results.
        Assert.Throws<OperationCanceledException>(() => BuildContext.OpenTar(directory.Path, cancellationToken: stopped.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => BuildContext.DigestAsync(directory.Path, cancellationToken: stopped.Token));
    }
}
