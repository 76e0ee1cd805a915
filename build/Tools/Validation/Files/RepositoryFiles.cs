using CloudAge.Common.IO;
namespace CloudAge.Tools.Validation.Files;

/// <summary>
/// Finds the files Validate may read: regular files inside the repository, reached directly or through symbolic
/// links that stay inside it. Everything else (links that leave the repository, FIFOs, sockets, devices, dangling
/// links) is a finding, and is never opened: opening a FIFO for reading blocks until something writes to it.
/// </summary>
internal sealed class RepositoryFiles
{
    private const int MaxLinkHops = 40; // Linux's MAXSYMLINKS: more hops is a loop.

    private readonly string root;
    private readonly string realRoot;
    private readonly FindingList findings;

    public RepositoryFiles(string repositoryRoot, FindingList findings)
    {
        root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(repositoryRoot));
        realRoot = RealPath(root) ?? root;
        this.findings = findings;
    }

    /// <summary>Every regular file under <paramref name="folders"/> (relative to the root), ordered by path.</summary>
    /// <returns>The path to open (a link's target) and the path to report (relative, with /).</returns>
    public IReadOnlyList<(string FullPath, string File)> Walk(IEnumerable<string> folders)
    {
        var files = new List<(string, string)>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            var full = Path.GetFullPath(Path.Combine(root, folder));
            if (Directory.Exists(full) && Resolve(full, Relative(full)) is { Kind: FileKind.Directory } resolved && visited.Add(resolved.RealPath))
            {
                WalkDirectory(full, files, visited);
            }
        }

        files.Sort((a, b) => StringComparer.Ordinal.Compare(a.Item2, b.Item2));
        return files;
    }

    /// <summary>The path to open for one file named by the project (the IAM policy, the rules file); null, with a finding, when it must not be read.</summary>
    /// <param name="missing">Whether the file is absent (no finding is added then; the caller knows what absence means).</param>
    public string? Single(string relative, out bool missing)
    {
        var full = Path.GetFullPath(Path.Combine(root, relative));
        var kind = FileKinds.Of(full);
        missing = kind == FileKind.Missing;
        if (missing)
        {
            return null;
        }

        return Resolve(full, Relative(full)) switch
        {
            { Kind: FileKind.Regular } resolved => resolved.RealPath,
            { Kind: var other } => Report(Relative(full), other),
            null => null,
        };
    }

    private void WalkDirectory(string directory, List<(string, string)> files, HashSet<string> visited)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory).Order(StringComparer.Ordinal))
        {
            var file = Relative(entry);
            switch (Resolve(entry, file))
            {
                case null:
                    break;
                case { Kind: FileKind.Directory } resolved:
                    // A link to a folder already walked (or to one of its parents) would repeat it, or loop forever.
                    if (visited.Add(resolved.RealPath))
                    {
                        WalkDirectory(entry, files, visited);
                    }

                    break;
                case { Kind: FileKind.Regular } resolved:
                    files.Add((resolved.RealPath, file));
                    break;
                case { Kind: var other }:
                    Report(file, other);
                    break;
            }
        }
    }

    private string? Report(string file, FileKind kind)
    {
        findings.Add(file, 1, 1, RuleIds.FileNotRegular, kind == FileKind.Missing
            ? "is a symbolic link whose target does not exist (or a loop of links); remove it or point it at a file in the repository"
            : $"is {kind.Describe()}, not a regular file; Validate does not open it (reading could block forever) and Argo CD cannot use it: remove it from the manifest folder");
        return null;
    }

    /// <summary>What <paramref name="path"/> finally is, and its real path; null, with a finding, when it is a link that leaves the repository.</summary>
    private (FileKind Kind, string RealPath)? Resolve(string path, string file)
    {
        var kind = FileKinds.Of(path);
        if (kind != FileKind.Symlink)
        {
            return (kind, path);
        }

        var target = new FileInfo(path).LinkTarget ?? "";
        if (LeavesRoot(path, target))
        {
            findings.Add(file, 1, 1, RuleIds.SymlinkOutOfRepo,
                $"is a symbolic link to \"{target}\", outside the repository; Argo CD refuses such a repository (\"out of bounds symlink\"): copy the file in instead");
            return null;
        }

        // The lexical check above is Argo CD's; the real path also catches a link that reaches outside through another link.
        var real = RealPath(path);
        if (real is null)
        {
            return (FileKind.Missing, path);
        }

        if (!IsInside(realRoot, real))
        {
            findings.Add(file, 1, 1, RuleIds.SymlinkOutOfRepo,
                $"is a symbolic link that resolves to {real}, outside the repository (through another link); Argo CD refuses such a repository: copy the file in instead");
            return null;
        }

        return (FileKinds.Of(real), real);
    }

    /// <summary>
    /// Argo CD's rule (util/app/path/path.go, CheckOutOfBoundsSymlinks, run by the repo server on every checkout):
    /// an absolute link target is out of bounds, and so is a relative one if any step of it, taken from the link's
    /// folder, climbs above the repository root.
    /// </summary>
    private bool LeavesRoot(string link, string target)
    {
        if (Path.IsPathRooted(target))
        {
            return true;
        }

        var current = Path.GetDirectoryName(link)!;
        foreach (var part in target.Split('/', '\\'))
        {
            current = Path.GetFullPath(Path.Join(current, part));
            if (!IsInside(root, current))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsInside(string root, string path) =>
        path == root || path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private string Relative(string full) => Path.GetRelativePath(root, full).Replace('\\', '/');

    /// <summary>The path with every symbolic link resolved (realpath(3)), or null for a dangling link or a loop.</summary>
    internal static string? RealPath(string path)
    {
        var pending = new Stack<string>(Path.GetFullPath(path).Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse());
        var current = Path.GetPathRoot(Path.GetFullPath(path))!;
        var hops = 0;
        while (pending.TryPop(out var part))
        {
            var next = Path.Join(current, part);
            if (FileKinds.Of(next) != FileKind.Symlink)
            {
                current = next;
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                return null;
            }

            var target = new FileInfo(next).LinkTarget!;
            var resolved = Path.GetFullPath(Path.IsPathRooted(target) ? target : Path.Join(current, target));
            foreach (var piece in resolved.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                pending.Push(piece);
            }

            current = Path.GetPathRoot(resolved)!;
        }

        return FileKinds.Of(current) == FileKind.Missing ? null : current;
    }
}
