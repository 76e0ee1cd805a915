using CloudAge.Engine;
using CloudAge.Tools.Git;

namespace CloudAge.Build;

public sealed partial class Build
{
    [Parameter("The repository's default branch; only builds of it get the 'latest' tag")]
    // A branch name git accepts (git refs.c check_refname_component and check_refname_format; object-name.c
    // strbuf_check_branch_ref refuses a leading '-' and HEAD), since it reaches git as refs/heads/<name>: no control
    // characters, space, ~ ^ : ? * [ \, no "..", "@{" or "//", no component that starts with '.' or ends with ".lock",
    // no '/' or '.' at the end, not "@".
    [Pattern(@"(?!-)(?!HEAD$)(?!@$)(?!/)(?!.*//)(?!.*/$)(?!.*\.$)(?!.*\.\.)(?!.*@\{)(?!(?:.*/)?\.)(?!.*\.lock(?:/|$))[^\x00-\x20\x7f~^:?*\[\\]+",
        "a git branch name (no spaces, '..', '~', '^', ':', '?', '*', '[' or '\\', not starting with '-' or '.'), such as main")]
    public string DefaultBranch { get; init; } = "main";

    [Parameter("Version baked into the app and its labels (default: from the latest v* git tag, as DockerBuild's tags)")]
    // Semantic Versioning 2.0.0 (semver.org): it becomes MSBuild's -p:Version, an image label and the SBOM's version.
    [Pattern(@"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?",
        "a semantic version such as 1.4.0 or 1.5.0-rc.1")]
    public string? AppVersionOverride { get; init; }

    GitFacts? _gitFacts;

    /// <summary>HEAD's facts, read once per run from git.</summary>
    GitFacts Git => _gitFacts ??= ReadGitFacts();

    string CommitSha => Git.HeadSha;
    string AppVersion => AppVersionOverride ?? ImageTags.Compute(Git).Version;

    GitFacts ReadGitFacts()
    {
        var facts = new GitFactsReader(Processes).ReadAsync(RootDirectory, DefaultBranch).GetAwaiter().GetResult();
        // CI checks out a detached HEAD; GitHub names the branch in GITHUB_REF_NAME.
        if (facts.Branch is null && EnvironmentVariables.TryGetValue("GITHUB_REF_NAME", out var branch) && branch.Length > 0)
            facts = facts with { Branch = branch };
        return facts;
    }
}
