using System.Globalization;
using System.Text.RegularExpressions;
using CloudAge.Common.Processes;

namespace CloudAge.Tools.Git;

/// <summary>Reads <see cref="GitFacts"/> from a working tree with the git CLI.</summary>
public sealed partial class GitFactsReader(ProcessRunner runner)
{
    public async Task<GitFacts> ReadAsync(string repositoryDirectory, string defaultBranch, CancellationToken cancellationToken = default)
    {
        // Four read-only questions, asked at once: each is a process start, and every build-time target waits for them.
        var shaRead = Git(["rev-parse", "HEAD"]);
        var branchRead = Git(["rev-parse", "--abbrev-ref", "HEAD"]);
        var statusRead = Git(["status", "--porcelain"]);
        // Without any v* tag, describe exits non-zero ("No names found"); that is a fact, not a failure.
        var describeRead = Git(["describe", "--tags", "--match", "v*", "--long", "--abbrev=40"], throwOnFailure: false);
        try
        {
            await Task.WhenAll(shaRead, branchRead, statusRead, describeRead).ConfigureAwait(false);
        }
        catch
        {
            // The first question's failure is the one reported (not a repository, no commit yet), as when they ran in turn.
            foreach (var read in new[] { shaRead, branchRead, statusRead, describeRead })
                await read.ConfigureAwait(false);
            throw;
        }
        var sha = shaRead.Result.StandardOutput.Trim();
        var branch = branchRead.Result.StandardOutput.Trim();
        var status = statusRead.Result;
        var describe = describeRead.Result;
        string? tag = null;
        var since = 0;
        if (describe.ExitCode == 0 && Describe().Match(describe.StandardOutput.Trim()) is { Success: true } m)
        {
            tag = m.Groups["tag"].Value;
            since = int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
        }
        return new GitFacts(sha, branch == "HEAD" ? null : branch, defaultBranch, tag, since, status.StandardOutput.Trim().Length > 0);

        Task<ProcessResult> Git(string[] arguments, bool throwOnFailure = true) =>
            runner.RunAsync(new ProcessSpec("git", arguments)
            {
                WorkingDirectory = repositoryDirectory,
                StreamOutput = false,
                ThrowOnFailure = throwOnFailure,
                Timeout = TimeSpan.FromSeconds(30),
            }, cancellationToken);
    }

    [GeneratedRegex(@"^(?<tag>.+)-(?<n>\d+)-g[0-9a-f]+$")]
    private static partial Regex Describe();
}
