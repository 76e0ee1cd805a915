namespace CloudAge.Tools.Git;

/// <summary>What the image tags are computed from: the facts of the checked-out commit.</summary>
/// <param name="HeadSha">Full hex sha of HEAD.</param>
/// <param name="Branch">Current branch, or null on a detached HEAD (CI checkouts: pass the CI's branch instead).</param>
/// <param name="DefaultBranch">The repository's default branch, usually <c>main</c>.</param>
/// <param name="VersionTag">The nearest <c>v*</c> tag reachable from HEAD (for example <c>v1.2.3</c>), or null when there is none.</param>
/// <param name="CommitsSinceTag">Commits between <paramref name="VersionTag"/> and HEAD; 0 when HEAD is at the tag.</param>
/// <param name="IsDirty">The working tree has uncommitted changes (untracked files included).</param>
public sealed record GitFacts(string HeadSha, string? Branch, string DefaultBranch, string? VersionTag, int CommitsSinceTag, bool IsDirty);

/// <summary>The tags to put on the image and the version to build into it.</summary>
/// <param name="Tags">Tags without repository, in a stable order: semver, <c>latest</c>, <c>sha-…</c>, extras.</param>
/// <param name="Version">The version for the VERSION build argument and the <c>org.opencontainers.image.version</c> label.</param>
public sealed record ImageTagSet(IReadOnlyList<string> Tags, string Version);
