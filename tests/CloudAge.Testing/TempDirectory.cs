namespace CloudAge.Testing;

/// <summary>A unique temporary directory, deleted with everything in it.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cloudage-test-" + Guid.NewGuid().ToString("N")[..12]);

    public string PathOf(string relative) => System.IO.Path.Combine(Path, relative);

    public string Write(string relative, string content = "x")
    {
        var full = PathOf(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public string Read(string relative) => File.ReadAllText(PathOf(relative));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
