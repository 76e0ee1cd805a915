using CloudAge.Tools.Container.Registry;

namespace CloudAge.Tools.Container.Pushing;

/// <summary>
/// Which tags to push, given what the registry holds. A tag the repository keeps immutable that is already on another digest is
/// refused before anything is pushed when the local image's digest there is known (it was pushed before); otherwise
/// the new tags are pushed first, which tells the digest, and the conflict is reported right after.
/// </summary>
internal sealed class TagPlan
{
    private readonly List<(string Tag, string Digest)> _unresolved = [];

    public List<string> ToPush { get; } = [];

    public List<string> AlreadyThere { get; } = [];

    public List<string> Skipped { get; } = [];

    /// <summary>The digest the registry answered for each tag already on this image.</summary>
    public Dictionary<string, string> RemoteDigests { get; } = new(StringComparer.Ordinal);

    public static async Task<TagPlan> MakeAsync(PushRequest request, RegistryClient registry, IReadOnlySet<string> knownDigests, CancellationToken cancellationToken)
    {
        var plan = new TagPlan();
        foreach (var tag in request.Tags.Distinct(StringComparer.Ordinal))
        {
            var existing = await registry.GetManifestDigestAsync(request.Repository, tag, cancellationToken).ConfigureAwait(false);
            if (existing is null)
                plan.ToPush.Add(tag);
            else if (knownDigests.Contains(existing))
            {
                plan.AlreadyThere.Add(tag);
                plan.RemoteDigests[tag] = existing;
            }
            else if (!request.ImmutableTags.Protects(tag))
                plan.ToPush.Add(tag);
            else if (tag == "latest")
                plan.Skipped.Add(tag);
            else if (knownDigests.Count > 0)
                throw Conflict($"{request.Registry}/{request.Repository}", tag, existing, knownDigests);
            else
                plan._unresolved.Add((tag, existing));
        }
        return plan;
    }

    public void ThrowOnConflicts(string repository, IReadOnlySet<string> digests)
    {
        foreach (var (tag, existing) in _unresolved)
        {
            if (!digests.Contains(existing))
                throw Conflict(repository, tag, existing, digests);
            AlreadyThere.Add(tag);
            RemoteDigests[tag] = existing;
        }
    }

    private static ContainerException Conflict(string repository, string tag, string existing, IReadOnlySet<string> local) =>
        new($"Tag {repository}:{tag} already points at {existing} and the repository keeps that tag immutable, so it cannot move to this image " +
            $"({(local.Count == 0 ? "never pushed there" : string.Join(", ", local))}). Use a new tag (a new commit or version) or make the repository's tags mutable (or the tag an exception).");
}
