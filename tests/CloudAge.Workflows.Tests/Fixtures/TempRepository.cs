namespace CloudAge.Workflows.Tests.Fixtures;

/// <summary>An empty repository root in a unique temp directory, deleted on dispose.</summary>
public sealed class TempRepository : IDisposable
{
    public string Root { get; } = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "cloudage-workflows-" + Guid.NewGuid().ToString("N"))).FullName;

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public void Write(string relative, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(PathOf(relative))!);
        File.WriteAllText(PathOf(relative), content);
    }

    public string Read(string relative) => File.ReadAllText(PathOf(relative));

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
