using CloudAge.Tools.Container.Oci;
using CloudAge.Tools.Container.Registry;

namespace CloudAge.Tools.Container.Pushing;

/// <summary>One platform's image: the local image (id or reference) built for it.</summary>
public sealed record PlatformImage(OciPlatform Platform, string Image);

/// <summary>What to push as one multi-platform image: each platform's local image, then an OCI index under every tag.</summary>
/// <param name="Images">One local image per platform, in the order the index lists them.</param>
/// <param name="Registry">Registry as <c>host[:port]</c>.</param>
/// <param name="Repository">Repository name within the registry.</param>
/// <param name="Tags">Tags the index goes under.</param>
public sealed record IndexPushRequest(IReadOnlyList<PlatformImage> Images, string Registry, string Repository, IReadOnlyList<string> Tags)
{
    /// <summary>The tags the repository refuses to move (<see cref="PushRequest.ImmutableTags"/>).</summary>
    public TagImmutability ImmutableTags { get; init; } = TagImmutability.None;

    /// <summary>Folder remembering compressed layer digests and manifests between pushes (null: nothing is remembered).</summary>
    public string? CacheDirectory { get; init; }
}

/// <summary>A pushed platform image: its platform, manifest digest and local image id.</summary>
public sealed record PushedPlatform(OciPlatform Platform, string Digest, string ImageId);

/// <summary>The pushed index as the registry holds it.</summary>
/// <param name="ImageUri">Repository URI without tag, <c>registry/repository</c>.</param>
/// <param name="Digest">The index digest, what every tag resolves to.</param>
/// <param name="Index">The index descriptor (subject of attached artifacts).</param>
/// <param name="Platforms">Each platform's manifest digest.</param>
/// <param name="Tags">Tags pointing at the index now (pushed or already there).</param>
/// <param name="SkippedTags">Tags left alone (<c>latest</c> on an immutable repository).</param>
/// <param name="BytesUploaded">Blob bytes uploaded over all platforms; 0 when the registry held everything.</param>
public sealed record IndexPushResult(string ImageUri, string Digest, OciDescriptor Index, IReadOnlyList<PushedPlatform> Platforms,
    IReadOnlyList<string> Tags, IReadOnlyList<string> SkippedTags, long BytesUploaded)
{
    public string Reference(string tag) => $"{ImageUri}:{tag}";

    /// <summary>The single-platform view the rest of the pipeline (scan, summaries) uses.</summary>
    public PushResult ToPushResult() => new(ImageUri, Digest, Tags, SkippedTags, BytesUploaded);
}
