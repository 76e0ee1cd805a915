using CloudAge.Tools.Container.Oci;
using CloudAge.Tools.Container.Registry;

namespace CloudAge.Tools.Container.Pushing;

/// <summary>An artifact attached to a manifest: its manifest descriptor and the one blob it carries.</summary>
public sealed record AttachedArtifact(OciDescriptor Manifest, OciDescriptor Blob);

/// <summary>
/// Attaches artifacts (SBOM, provenance) to a manifest or index as OCI 1.1 artifact manifests whose <c>subject</c> is
/// that manifest, and finds them again. A registry with the referrers API (ECR) indexes them itself and says so with
/// the <c>OCI-Subject</c> header; for one without it (distribution 2.8) the client keeps the referrers tag schema: an
/// index tagged <c>sha256-&lt;hex&gt;</c> listing the artifacts (distribution-spec v1.1, "Referrers Tag Schema").
/// </summary>
public sealed class Referrers(RegistryClient registry, Action<string> log)
{
    // The empty JSON object: the config of an artifact manifest that has no config (image-spec, "Guidance for an Empty Descriptor").
    private static readonly byte[] EmptyConfig = "{}"u8.ToArray();

    // What each subject is known to have attached: read once per subject, kept up to date by this instance's attaches.
    private readonly Dictionary<(string Repository, string Subject), HashSet<string>> _listed = [];

    // Repositories whose referrers API answered a listing: the registry has the API.
    private readonly HashSet<string> _withApi = new(StringComparer.Ordinal);

    public static string FallbackTag(string digest) => digest.Replace(':', '-');

    /// <summary>Pushes <paramref name="content"/> as an artifact of <paramref name="artifactType"/> referring to <paramref name="subject"/>; idempotent.</summary>
    /// <param name="annotations">Manifest annotations; pass fixed values (e.g. <c>org.opencontainers.image.created</c> from the commit) to keep the digest stable.</param>
    public async Task<AttachedArtifact> AttachAsync(string repository, OciDescriptor subject, string artifactType, byte[] content, string fileName,
        IReadOnlyDictionary<string, string>? annotations = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var config = OciDescriptor.Of(OciMediaTypes.Empty, EmptyConfig);
        var blob = OciDescriptor.Of(artifactType, content) with
        {
            Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["org.opencontainers.image.title"] = fileName },
        };
        var manifestAnnotations = annotations is null || annotations.Count == 0 ? null : new SortedDictionary<string, string>(annotations.ToDictionary(), StringComparer.Ordinal);
        var manifest = OciJson.Serialize(new OciManifest(config, [blob])
        {
            ArtifactType = artifactType,
            Subject = new OciDescriptor(subject.MediaType, subject.Digest, subject.Size),
            Annotations = manifestAnnotations,
        });
        var descriptor = OciDescriptor.Of(OciMediaTypes.ImageManifest, manifest) with { ArtifactType = artifactType, Annotations = manifestAnnotations };

        // The same content for the same subject is the same manifest digest: listed already means attached already
        // (a re-push of an unchanged build asks once per subject, not once per blob and manifest).
        if (!_listed.TryGetValue((repository, subject.Digest), out var listed))
        {
            var (all, unusable) = await ListAllAsync(repository, subject.Digest, cancellationToken).ConfigureAwait(false);
            if (unusable is not null)
                throw Refused(repository, subject.Digest, unusable, artifactType);
            _listed[(repository, subject.Digest)] = listed = all.Select(m => m.Digest).ToHashSet(StringComparer.Ordinal);
        }
        if (listed.Contains(descriptor.Digest))
        {
            log($"{artifactType} {descriptor.Digest[..19]} is attached to {repository}@{subject.Digest[..19]} already.");
            return new AttachedArtifact(descriptor, blob);
        }
        await UploadIfMissingAsync(repository, config, EmptyConfig, cancellationToken).ConfigureAwait(false);
        await UploadIfMissingAsync(repository, blob, content, cancellationToken).ConfigureAwait(false);
        var (_, indexedByRegistry) = await registry.PutManifestAsync(repository, descriptor.Digest, OciMediaTypes.ImageManifest, manifest, cancellationToken).ConfigureAwait(false);
        // A registry with the API may index the subject without saying so (Harbor before 2.9 sent no OCI-Subject,
        // goharbor/harbor #18865): when its list already holds the artifact, a referrers tag would only add a tag to
        // keep, and on a repository with immutable tags the next attach could not update it.
        if (!indexedByRegistry && _withApi.Contains(repository))
            indexedByRegistry = await ListedByApiAsync(repository, subject.Digest, descriptor.Digest, cancellationToken).ConfigureAwait(false);
        if (!indexedByRegistry)
            await AddToFallbackAsync(repository, subject.Digest, descriptor, artifactType, cancellationToken).ConfigureAwait(false);
        listed.Add(descriptor.Digest);
        log($"Attached {artifactType} {descriptor.Digest[..19]} to {repository}@{subject.Digest[..19]}{(indexedByRegistry ? "" : $" (referrers tag {FallbackTag(subject.Digest)[..19]}…)")}.");
        return new AttachedArtifact(descriptor, blob);
    }

    /// <summary>
    /// The artifacts referring to <paramref name="subject"/>: through the referrers API where the registry has it, else its
    /// fallback tag; a fallback tag that holds something other than an index of referrers is logged and taken as none.
    /// </summary>
    public async Task<IReadOnlyList<OciDescriptor>> ListAsync(string repository, string subject, string? artifactType = null, CancellationToken cancellationToken = default)
    {
        var (all, unusable) = await ListAllAsync(repository, subject, cancellationToken).ConfigureAwait(false);
        if (unusable is not null)
            log($"{Unusable(repository, subject, unusable)}: taken as no referrers.");
        return all.Where(m => artifactType is null || m.ArtifactType == artifactType).ToList();
    }

    /// <summary>The one blob of an attached artifact, read and checked against its digest.</summary>
    public async Task<byte[]> ReadAsync(string repository, OciDescriptor artifact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        var manifest = await registry.GetManifestAsync(repository, artifact.Digest, cancellationToken).ConfigureAwait(false)
            ?? throw new ContainerException($"Registry {registry.Registry} lists artifact {repository}@{artifact.Digest} but does not hold it.");
        var parsed = OciJson.Deserialize<OciManifest>(manifest.Content, $"Artifact manifest {repository}@{artifact.Digest}");
        if (parsed.Layers.Count != 1)
            throw new ContainerException($"Artifact {repository}@{artifact.Digest} carries {parsed.Layers.Count} blobs; one was expected.");
        return await registry.GetBlobAsync(repository, parsed.Layers[0].Digest, cancellationToken).ConfigureAwait(false);
    }

    // Unusable says what the fallback tag holds when that is not an index of referrers (then the list is empty).
    private async Task<(IReadOnlyList<OciDescriptor> All, string? Unusable)> ListAllAsync(string repository, string subject, CancellationToken cancellationToken)
    {
        if (await registry.GetReferrersAsync(repository, subject, cancellationToken).ConfigureAwait(false) is { } listed)
        {
            _withApi.Add(repository);
            return (listed.Manifests, null);
        }
        var (index, unusable) = await FallbackIndexAsync(repository, subject, cancellationToken).ConfigureAwait(false);
        return (index?.Manifests ?? [], unusable);
    }

    private async Task<bool> ListedByApiAsync(string repository, string subject, string artifact, CancellationToken cancellationToken) =>
        (await registry.GetReferrersAsync(repository, subject, cancellationToken).ConfigureAwait(false))?.Manifests.Any(m => m.Digest == artifact) == true;

    // The spec: "If that pull returns a manifest other than the expected image index, the client SHOULD report a failure".
    // GitLab's registry answers the tag sha256-<hex> with the subject itself (oras-go #1396): an index too, but its
    // platform manifests are no referrers, and writing them back under the tag would be wrong twice over.
    private async Task<(OciIndex? Index, string? Unusable)> FallbackIndexAsync(string repository, string subject, CancellationToken cancellationToken)
    {
        var tag = FallbackTag(subject);
        var existing = await registry.GetManifestAsync(repository, tag, cancellationToken).ConfigureAwait(false);
        if (existing is null)
            return (null, null);
        if (existing.Digest == subject)
            return (null, $"the subject {subject} itself");
        if (existing.MediaType != OciMediaTypes.ImageIndex)
            return (null, $"a {existing.MediaType} ({existing.Digest})");
        var index = OciJson.Deserialize<OciIndex>(existing.Content, $"Referrers tag {repository}:{tag}");
        return (index with { Manifests = index.Manifests ?? [] }, null);
    }

    private string Unusable(string repository, string subject, string unusable) =>
        $"Registry {registry.Registry} answers the referrers tag {repository}:{FallbackTag(subject)} with {unusable}, not an OCI image index of referrers";

    private ContainerException Refused(string repository, string subject, string unusable, string artifactType) => new(
        $"{Unusable(repository, subject, unusable)}, so the {artifactType} is not attached to {repository}@{subject} and that tag is left as it is. Move what is under that tag, or push to a registry with the referrers API.");

    // Read, add, write back (distribution-spec: the client keeps the tag up to date). Distribution 2.8 has no conditional
    // PUT, so two builds attaching to the same subject at the same moment could drop one entry; a build attaches to its own index only.
    private async Task AddToFallbackAsync(string repository, string subject, OciDescriptor artifact, string artifactType, CancellationToken cancellationToken)
    {
        var (current, unusable) = await FallbackIndexAsync(repository, subject, cancellationToken).ConfigureAwait(false);
        if (unusable is not null)
            throw Refused(repository, subject, unusable, artifactType);
        current ??= new OciIndex([]);
        if (current.Manifests.Any(m => m.Digest == artifact.Digest))
            return;
        var updated = current with { Manifests = [.. current.Manifests, artifact] };
        await registry.PutManifestAsync(repository, FallbackTag(subject), OciMediaTypes.ImageIndex, OciJson.Serialize(updated), cancellationToken).ConfigureAwait(false);
    }

    private async Task UploadIfMissingAsync(string repository, OciDescriptor blob, byte[] content, CancellationToken cancellationToken)
    {
        if (!await registry.BlobExistsAsync(repository, blob.Digest, cancellationToken).ConfigureAwait(false))
            await registry.UploadBlobAsync(repository, blob.Digest, () => new MemoryStream(content), cancellationToken).ConfigureAwait(false);
    }
}
