namespace CloudAge.Tools.Container.Context;

/// <summary>
/// The patterns of a <c>.dockerignore</c> file with Docker's meaning (moby/patternmatcher): patterns are relative
/// to the context root, leading <c>/</c> and <c>./</c> are cleaned away, <c>*</c>, <c>?</c>, <c>[...]</c> and
/// <c>**</c> match as in Go's filepath.Match plus <c>**</c> for any depth, a pattern that matches a directory
/// excludes everything below it, and <c>!</c> exceptions re-include with the last matching line winning.
/// </summary>
public sealed class DockerIgnore
{
    private readonly IReadOnlyList<IgnorePattern> _patterns;

    private DockerIgnore(IReadOnlyList<IgnorePattern> patterns) => _patterns = patterns;

    public static DockerIgnore Empty { get; } = new([]);

    internal IReadOnlyList<IgnorePattern> Patterns => _patterns;

    internal bool HasExceptions => _patterns.Any(p => p.Exclusion);

    /// <summary>Reads <c>.dockerignore</c> at the root of <paramref name="contextDirectory"/>, or no patterns when there is none.</summary>
    public static DockerIgnore Load(string contextDirectory)
    {
        var path = Path.Combine(contextDirectory, ".dockerignore");
        return File.Exists(path) ? Parse(File.ReadAllText(path)) : Empty;
    }

    /// <summary>Parses the text of a .dockerignore file as the Docker CLI does (docker's ignorefile.ReadAll).</summary>
    public static DockerIgnore Parse(string text)
    {
        var patterns = new List<IgnorePattern>();
        var lines = text.TrimStart('\uFEFF').Split('\n');
        foreach (var raw in lines)
        {
            // Comments are recognised before trimming, exactly as Docker does: " # x" is a pattern.
            if (raw.StartsWith('#'))
                continue;
            var line = raw.Trim();
            if (line.Length == 0)
                continue;
            var exclusion = line[0] == '!';
            if (exclusion)
                line = line[1..].Trim();
            if (line.Length > 0)
            {
                line = GoPath.Clean(line);
                if (line.Length > 1 && line[0] == '/')
                    line = line[1..];
            }
            if (exclusion && line.Length == 0)
                throw new ContainerException("A .dockerignore line holds only '!'; an exception needs a pattern after the '!'.");
            patterns.Add(new IgnorePattern(line, exclusion));
        }
        return new DockerIgnore(patterns);
    }

    /// <summary>
    /// Appends exceptions that keep <paramref name="dockerfile"/> and <c>.dockerignore</c> in the context even when a
    /// pattern matches them; the Docker CLI does the same (TrimBuildFilesFromExcludes) because the engine needs both.
    /// </summary>
    public DockerIgnore KeepingBuildFiles(string dockerfile)
    {
        var patterns = _patterns.ToList();
        if (IsExcluded(".dockerignore"))
            patterns.Add(new IgnorePattern(".dockerignore", exclusion: true));
        var name = dockerfile.Replace('\\', '/');
        if (IsExcluded(name))
            patterns.Add(new IgnorePattern(name, exclusion: true));
        return new DockerIgnore(patterns);
    }

    /// <summary>Whether a path relative to the context root (with <c>/</c>) is left out of the build context.</summary>
    public bool IsExcluded(string relativePath) => Evaluate(relativePath, null).Excluded;

    /// <summary>
    /// patternmatcher's MatchesUsingParentResults: with the parent's results a pattern that matched the parent
    /// directory stays matched for its children; without them, parent directories are tried one by one.
    /// </summary>
    internal (bool Excluded, bool[] Matched) Evaluate(string path, bool[]? parentMatched)
    {
        var excluded = false;
        var matched = new bool[_patterns.Count];
        for (var i = 0; i < _patterns.Count; i++)
        {
            var pattern = _patterns[i];
            var match = parentMatched is not null && parentMatched[i];
            if (!match)
            {
                if (pattern.Exclusion != excluded)
                    continue;
                match = pattern.Matches(path);
                if (!match && parentMatched is null)
                    match = ParentDirectories(path).Any(pattern.Matches);
            }
            matched[i] = match;
            if (match)
                excluded = !pattern.Exclusion;
        }
        return (excluded, matched);
    }

    private static IEnumerable<string> ParentDirectories(string path)
    {
        for (var slash = path.IndexOf('/', StringComparison.Ordinal); slash >= 0; slash = path.IndexOf('/', slash + 1))
            yield return path[..slash];
    }
}
