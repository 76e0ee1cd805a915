using CloudAge.Testing;

namespace CloudAge.Tools.Validation.Tests.Fixtures;

/// <summary>A temp copy of the repository's manifests, IAM policy and rules file that a test breaks in one place.</summary>
public sealed class RepositoryCopy : IDisposable
{
    private static readonly string[] Copied = ["k8s", "argocd", "docs/iam-policy.json", ManifestValidator.ConfigFileName];

    private readonly TempDirectory _directory = new();

    public RepositoryCopy()
    {
        Root = _directory.Path;
        var source = Prerequisites.RepositoryRoot();
        foreach (var path in Copied)
        {
            var from = Path.Combine(source, path);
            var to = Path.Combine(Root, path);
            if (Directory.Exists(from))
            {
                foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
                {
                    Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
                }
            }
            else
            {
                Copy(from, to);
            }
        }
    }

    public string Root { get; }

    /// <summary>Replaces the first occurrence of <paramref name="find"/>; fails the test if the text is not there.</summary>
    public RepositoryCopy Replace(string file, string find, string replacement)
    {
        var path = Path.Combine(Root, file);
        var text = File.ReadAllText(path);
        var at = text.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0, $"{file} does not contain {find}");
        File.WriteAllText(path, string.Concat(text.AsSpan(0, at), replacement, text.AsSpan(at + find.Length)));
        return this;
    }

    public RepositoryCopy Write(string file, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(Root, file))!);
        File.WriteAllText(Path.Combine(Root, file), text);
        return this;
    }

    public RepositoryCopy WriteBytes(string file, byte[] bytes)
    {
        File.WriteAllBytes(Path.Combine(Root, file), bytes);
        return this;
    }

    /// <summary>The 1-based line of the first line containing <paramref name="marker"/>, as the file is now.</summary>
    public int LineOf(string file, string marker)
    {
        var lines = File.ReadAllLines(Path.Combine(Root, file));
        var index = Array.FindIndex(lines, l => l.Contains(marker, StringComparison.Ordinal));
        Assert.True(index >= 0, $"{file} has no line containing {marker}");
        return index + 1;
    }

    public IReadOnlyList<Finding> Validate() => RepositoryOptions.Validator().Validate(Root);

    public void Dispose() => _directory.Dispose();

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Copy(from, to);
    }
}
