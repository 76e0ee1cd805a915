using System.Formats.Tar;
using CloudAge.Common.Processes;
using CloudAge.Common.Secrets;

namespace CloudAge.Tools.Container.Tests.Fixtures;

/// <summary>The docker CLI for arranging and checking what the code under test did; removes what it made.</summary>
public sealed class DockerCli : IAsyncDisposable
{
    private readonly ProcessRunner _runner = new(new SecretMasker(), _ => { });
    private readonly List<string> _images = [];

    public static Uri Endpoint => CloudAge.Tools.Container.Building.DockerEngine.DefaultEndpoint;

    public async Task<string> RunAsync(params string[] arguments) =>
        (await _runner.RunAsync(new ProcessSpec("docker", arguments)
        {
            StreamOutput = false,
            Timeout = TimeSpan.FromMinutes(3),
            // The legacy builder applies .dockerignore in the CLI with moby/patternmatcher: the reference to compare with.
            Environment = new Dictionary<string, string?> { ["DOCKER_BUILDKIT"] = "0" },
        })).StandardOutput.Trim();

    /// <summary>Remembers an image reference to remove at the end.</summary>
    public string Track(string reference)
    {
        lock (_images)
            _images.Add(reference);
        return reference;
    }

    /// <summary>A tiny base image (one text file, no shell), imported from a tar: no registry needed.</summary>
    public async Task<string> MakeBaseImageAsync()
    {
        var reference = Track($"cloudage-test-base:{Guid.NewGuid():N}");
        var tar = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".tar");
        try
        {
            await using (var file = File.Create(tar))
            await using (var writer = new TarWriter(file))
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, "base.txt") { DataStream = new MemoryStream("base\n"u8.ToArray()), Mode = (UnixFileMode)0b110_100_100 };
                await writer.WriteEntryAsync(entry);
            }
            await RunAsync("import", tar, reference);
        }
        finally
        {
            File.Delete(tar);
        }
        return reference;
    }

    /// <summary>The files an image holds, listed by exporting a container made from it (never started).</summary>
    public async Task<IReadOnlyList<string>> ListFilesAsync(string image)
    {
        var container = await RunAsync("create", image, "/none");
        var tar = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".tar");
        try
        {
            await RunAsync("export", "-o", tar, container);
            var files = new List<string>();
            await using var stream = File.OpenRead(tar);
            using var reader = new TarReader(stream);
            while (await reader.GetNextEntryAsync() is { } entry)
            {
                if (entry.EntryType is not TarEntryType.Directory)
                    files.Add(entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name);
            }
            return files;
        }
        finally
        {
            File.Delete(tar);
            await RunAsync("rm", "-f", container);
        }
    }

    public async ValueTask DisposeAsync()
    {
        string[] images;
        lock (_images)
            images = [.. _images];
        if (images.Length > 0)
            await _runner.RunAsync(new ProcessSpec("docker", ["rmi", "-f", .. images]) { ThrowOnFailure = false, StreamOutput = false });
    }
}
