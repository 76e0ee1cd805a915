using System.Text.RegularExpressions;

namespace CloudAge.Tools.GitOps.ImageBump;

/// <summary>How the new image is written into the manifests.</summary>
public enum ImageReferenceMode
{
    /// <summary><c>repo:tag</c></summary>
    Tag,
    /// <summary><c>repo@sha256:...</c></summary>
    Digest,
    /// <summary><c>repo:tag@sha256:...</c>: readable and immutable.</summary>
    TagAndDigest,
}

/// <summary>
/// The image to deploy. <see cref="Mode"/> defaults to <see cref="ImageReferenceMode.TagAndDigest"/> when a
/// digest is known and to <see cref="ImageReferenceMode.Tag"/> otherwise.
/// </summary>
public sealed partial record ImageTarget(string Repository, string Tag, string? Digest = null)
{
    public ImageReferenceMode? Mode { get; init; }

    /// <summary>The container that runs this image, as the manifests name it: when a pod has several containers of the
    /// repository, this one is edited and the others are left alone.</summary>
    public string ContainerName { get; init; } = "cloudage";

    public ImageReferenceMode EffectiveMode => Mode ?? (Digest is null ? ImageReferenceMode.Tag : ImageReferenceMode.TagAndDigest);

    /// <summary>The reference as it will appear in a container's <c>image:</c>.</summary>
    public string Reference => Repository + Suffix;

    internal string Suffix => EffectiveMode switch
    {
        ImageReferenceMode.Tag => ":" + Tag,
        ImageReferenceMode.Digest => "@" + Digest,
        _ => ":" + Tag + "@" + Digest,
    };

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Repository) || Repository.Contains('@', StringComparison.Ordinal) || Repository.Any(char.IsWhiteSpace))
            throw new CloudAge.Common.Errors.InputException($"'{Repository}' is not an image repository; give it without tag or digest, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/cloudage.");
        // Tags and digests are spliced into YAML scalars; the OCI grammar keeps them free of quotes, spaces and ': '.
        if (!TagPattern().IsMatch(Tag))
            throw new CloudAge.Common.Errors.InputException($"'{Tag}' is not a valid image tag (OCI: [A-Za-z0-9_][A-Za-z0-9_.-]{{0,127}}).");
        if (Digest is not null && !DigestPattern().IsMatch(Digest))
            throw new CloudAge.Common.Errors.InputException($"'{Digest}' is not a valid image digest (expected sha256:<64 hex>).");
        if (EffectiveMode != ImageReferenceMode.Tag && Digest is null)
            throw new CloudAge.Common.Errors.InputException($"Writing the image by {(EffectiveMode == ImageReferenceMode.Digest ? "digest" : "tag and digest")} needs its digest; pass the digest (sha256:<64 hex>) or write the tag alone.");
    }

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex("^sha256:[a-f0-9]{64}$")]
    private static partial Regex DigestPattern();
}

/// <summary>One value the edit changes: the image reference before and after, where it is.</summary>
public sealed record ImageChange(string File, int Line, string OldReference, string NewReference);

/// <summary>The result of editing one file: the original and new text and what changed.</summary>
public sealed record ManifestEdit(string File, string OriginalText, string NewText, IReadOnlyList<ImageChange> Changes)
{
    /// <summary>How many places in the file reference the repository (changed or already at the target).</summary>
    public int Matches { get; init; }

    public bool Changed => !string.Equals(OriginalText, NewText, StringComparison.Ordinal);
}

/// <summary>The manifests cannot be edited without guessing: no match, or two candidates in one pod.</summary>
public sealed class ManifestEditException(string message) : CloudAge.Common.Errors.ToolException(message);
