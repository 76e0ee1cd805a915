using System.Text.RegularExpressions;

namespace CloudAge.Tools.GitOps.Git;

/// <summary>
/// Which commit an image was built from, by docker/metadata-action's tag convention <c>sha-&lt;7 hex&gt;</c>
/// (or a tag that is a full commit hash).
/// </summary>
public static partial class ImageCommit
{
    public static string? FromTag(string? tag) =>
        tag is not null && Pattern().Match(tag) is { Success: true } match ? match.Groups["sha"].Value : null;

    /// <summary>The tag of a reference <c>repo[:tag][@digest]</c> of a known repository.</summary>
    public static string? TagOf(string reference, string repository)
    {
        var rest = reference[repository.Length..];
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
            rest = rest[..at];
        return rest.StartsWith(':') ? rest[1..] : null;
    }

    /// <summary>The tag of any image reference <c>[registry[:port]/]path[:tag][@digest]</c>, or null when it has none.</summary>
    public static string? TagOfImage(string? image)
    {
        if (string.IsNullOrEmpty(image))
            return null;
        var at = image.IndexOf('@', StringComparison.Ordinal);
        var name = at >= 0 ? image[..at] : image;
        var colon = name.LastIndexOf(':');
        // A colon before the last slash is a registry port, not a tag.
        return colon > name.LastIndexOf('/') ? name[(colon + 1)..] : null;
    }

    [GeneratedRegex("^(sha-(?<sha>[0-9a-f]{7,40})|(?<sha>[0-9a-f]{40}))$")]
    private static partial Regex Pattern();
}
