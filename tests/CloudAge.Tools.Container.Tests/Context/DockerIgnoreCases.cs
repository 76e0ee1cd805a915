using CloudAge.Tools.Container.Tests.Fixtures;

namespace CloudAge.Tools.Container.Tests.Context;

/// <summary>
/// .dockerignore cases with the files the Docker engine receives for each. The expectations are checked against the
/// real engine (BuildContextEngineTests: the legacy builder, whose CLI filters with moby/patternmatcher) as well as
/// against BuildContext, so the table cannot drift from what Docker does.
/// </summary>
public static class DockerIgnoreCases
{
    public static readonly string[] Tree =
    [
        "a.txt", "b.md", "README.md", "main.cs", "secret.env",
        "docs/guide.md", "docs/api/ref.md",
        "src/app.cs", "src/bin/out.dll", "src/obj/x.json", "src/sub/bin/y.dll",
        "bin/root.dll", "node_modules/pkg/index.js", "logs/2024.log", "logs/keep.log", ".git/HEAD",
    ];

    /// <summary>Name, .dockerignore text, files excluded from <see cref="Tree"/> (everything else is sent).</summary>
    public static readonly (string Name, string Ignore, string[] Excluded)[] Cases =
    [
        ("no patterns", "", []),
        ("star matches one level only", "*.md", ["b.md", "README.md"]),
        ("double star matches any depth", "**/*.md", ["b.md", "README.md", "docs/guide.md", "docs/api/ref.md"]),
        ("a directory excludes all below it", "docs", ["docs/guide.md", "docs/api/ref.md"]),
        ("leading slash and dot slash are cleaned", "/src/bin\n./src/obj", ["src/bin/out.dll", "src/obj/x.json"]),
        ("double star directory at every level", "**/bin", ["src/bin/out.dll", "src/sub/bin/y.dll", "bin/root.dll"]),
        ("exception inside an excluded directory", "logs\n!logs/keep.log", ["logs/2024.log"]),
        ("exclude all but one directory", "*\n!src", ["a.txt", "b.md", "README.md", "main.cs", "secret.env", "docs/guide.md", "docs/api/ref.md",
            "bin/root.dll", "node_modules/pkg/index.js", "logs/2024.log", "logs/keep.log", ".git/HEAD"]),
        // Docker only walks into an excluded directory when an exception names a path under it literally, so **/*.cs re-includes root files only.
        ("wildcard exception does not reopen excluded directories", "**\n!**/*.cs", ["a.txt", "b.md", "README.md", "secret.env", "docs/guide.md", "docs/api/ref.md",
            "src/app.cs", "src/bin/out.dll", "src/obj/x.json", "src/sub/bin/y.dll", "bin/root.dll", "node_modules/pkg/index.js", "logs/2024.log", "logs/keep.log", ".git/HEAD"]),
        ("typical ignores with a comment", "# build output\nnode_modules\n.git\n*.env\n", ["node_modules/pkg/index.js", ".git/HEAD", "secret.env"]),
        ("star does not cross a slash", "src/*/bin", ["src/sub/bin/y.dll"]),
        ("question mark is one character", "?.txt\n?.md", ["a.txt", "b.md"]),
        ("character class", "[ab].*", ["a.txt", "b.md"]),
        ("last match wins", "*.md\n!README.md\nREADME*", ["b.md", "README.md"]),
        ("trailing double star and exception", "docs/**\n!docs/api", ["docs/guide.md"]),
        ("surrounding whitespace is trimmed", "  a.txt  \n\t!  a.txt\n  logs/*.log ", ["logs/2024.log", "logs/keep.log"]),
    ];

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases)
            data.Add(c.Name);
        return data;
    }

    public static (string Name, string Ignore, string[] Excluded) Get(string name) => Cases.Single(c => c.Name == name);

    /// <summary>Writes the tree, a Dockerfile that copies the whole context, and the case's .dockerignore.</summary>
    public static void Write(TempDirectory directory, string ignore, string baseImage = "scratch")
    {
        foreach (var file in Tree)
            directory.Write(file, file);
        directory.Write("Dockerfile", $"FROM {baseImage}\nCOPY . /ctx/\n");
        directory.Write(".dockerignore", ignore);
    }

    public static string[] ExpectedFiles(string[] excluded) =>
        Tree.Except(excluded).Order(StringComparer.Ordinal).ToArray();
}
