using System.Text.RegularExpressions;
using Semver;

namespace CloudAge.Tools.Git;

/// <summary>
/// Image tags from git facts, as docker/metadata-action users know them:
/// <c>sha-&lt;7 hex&gt;</c> always; <c>1.2.3</c> when HEAD is at tag <c>v1.2.3</c>; <c>1.2.4-dev.N</c> when HEAD is N
/// commits after it (the next patch as a pre-release, so it sorts below the release it leads to; after a pre-release
/// tag <c>v1.3.0-rc.1</c> it is <c>1.3.0-rc.1.dev.N</c>); no semver tag without a <c>v*</c> tag; <c>latest</c> only on the
/// default branch. A dirty working tree is marked, not refused: the sha tag becomes <c>sha-&lt;7 hex&gt;-dirty</c>, and
/// neither the semver tag nor <c>latest</c> is given, because neither may point at an image no commit describes.
/// </summary>
public static partial class ImageTags
{
    public static ImageTagSet Compute(GitFacts facts, IEnumerable<string>? extraTags = null)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (!HexSha().IsMatch(facts.HeadSha))
            throw new ArgumentException($"HEAD sha '{facts.HeadSha}' is not a git commit id (at least 7 hex digits).", nameof(facts));
        var shortSha = facts.HeadSha[..7].ToLowerInvariant();
        var version = VersionOf(facts, shortSha);

        var tags = new List<string>();
        if (!facts.IsDirty && facts.VersionTag is not null)
            tags.Add(version);
        if (!facts.IsDirty && facts.Branch is not null && facts.Branch == facts.DefaultBranch)
            tags.Add("latest");
        tags.Add(facts.IsDirty ? $"sha-{shortSha}-dirty" : $"sha-{shortSha}");
        foreach (var extra in extraTags ?? [])
        {
            if (!DockerTag().IsMatch(extra))
                throw new ArgumentException($"Extra tag '{extra}' is not a valid image tag (letters, digits, '_', '.', '-'; at most 128; not starting with '.' or '-').", nameof(extraTags));
            tags.Add(extra);
        }
        return new ImageTagSet(tags.Distinct(StringComparer.Ordinal).ToList(), facts.IsDirty ? version + "+dirty" : version);
    }

    private static string VersionOf(GitFacts facts, string shortSha)
    {
        if (facts.VersionTag is null)
            return $"0.0.0-dev.g{shortSha}";
        if (!SemVersion.TryParse(facts.VersionTag, SemVersionStyles.AllowLowerV, out var tagged))
            throw new ArgumentException($"Git tag '{facts.VersionTag}' matches v* but is not a semantic version like v1.2.3; retag it or delete it.", nameof(facts));
        tagged = tagged.WithoutMetadata();
        if (facts.CommitsSinceTag == 0)
            return tagged.ToString();
        var next = tagged.IsPrerelease
            ? SemVersion.Parse($"{tagged}.dev.{facts.CommitsSinceTag.ToString(System.Globalization.CultureInfo.InvariantCulture)}", SemVersionStyles.Strict)
            : tagged.WithPatch(tagged.Patch + 1).WithPrerelease("dev", facts.CommitsSinceTag.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return next.ToString();
    }

    [GeneratedRegex("^[0-9a-fA-F]{7,64}$")]
    private static partial Regex HexSha();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex DockerTag();
}
