using CloudAge.Tools.Container.Registry;

namespace CloudAge.Tools.Container.Pushing;

/// <summary>What to push: a local image (id or reference) to <c>registry/repository</c> under each tag.</summary>
/// <param name="Image">Local image id (<c>sha256:…</c>) or reference.</param>
/// <param name="Registry">Registry as <c>host[:port]</c>, for example <c>123456789012.dkr.ecr.eu-west-1.amazonaws.com</c> or <c>127.0.0.1:5000</c>.</param>
/// <param name="Repository">Repository name within the registry, for example <c>cloudage</c>.</param>
/// <param name="Tags">Tags to push, for example from <see cref="Tags.ImageTags.Compute"/>.</param>
public sealed record PushRequest(string Image, string Registry, string Repository, IReadOnlyList<string> Tags)
{
    /// <summary>Sent to the engine as X-Registry-Auth; for ECR user <c>AWS</c> and the GetAuthorizationToken password.</summary>
    public RegistryCredentials? Credentials { get; init; }

    /// <summary>The tags the repository refuses to move (ECR IMMUTABLE, or IMMUTABLE_WITH_EXCLUSION and its filters): such a
    /// tag on another digest is an error, <c>latest</c> is skipped.</summary>
    public TagImmutability ImmutableTags { get; init; } = TagImmutability.None;
}

/// <summary>One progress message of one layer, as the engine reports it while pushing.</summary>
/// <param name="Tag">The tag being pushed.</param>
/// <param name="LayerId">Short layer id as the engine names it.</param>
/// <param name="Status">"Preparing", "Waiting", "Pushing", "Pushed", "Layer already exists", …</param>
/// <param name="Current">Bytes sent so far for this layer (0 when unknown).</param>
/// <param name="Total">Layer size in bytes (0 when unknown).</param>
public sealed record LayerProgress(string Tag, string LayerId, string Status, long Current, long Total);

/// <summary>The pushed image as the registry holds it.</summary>
/// <param name="ImageUri">Repository URI without tag, <c>registry/repository</c>.</param>
/// <param name="Digest">Manifest digest, verified equal in the registry and in the local engine.</param>
/// <param name="Tags">Tags that point at <paramref name="Digest"/> in the registry now (pushed or already there).</param>
/// <param name="SkippedTags">Tags left alone, with a warning logged (<c>latest</c> on an immutable repository).</param>
/// <param name="BytesUploaded">Layer bytes the engine sent; 0 when every layer already existed.</param>
public sealed record PushResult(string ImageUri, string Digest, IReadOnlyList<string> Tags, IReadOnlyList<string> SkippedTags, long BytesUploaded)
{
    public string Reference(string tag) => $"{ImageUri}:{tag}";
}
