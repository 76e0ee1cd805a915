namespace CloudAge.Build.Support;

/// <summary>
/// The image repository BumpTag writes into the manifests, as they name it (the editor finds images by repository):
/// <c>--image-repository</c>; else, on the machine that pushed, the repository PushEcr pushed the tag to
/// (<c>artifacts/image.json</c>, the same file the digest comes from, so the two always belong together); else
/// <c>&lt;registry&gt;/&lt;repository&gt;</c> when <c>--registry</c> is given; else the repository the manifests
/// already name, parsed from them.
/// </summary>
public static class DeployRepository
{
    public static string Choose(string? imageRepository, ImageArtifact? pushed, string tag, string? registry, string repository, Func<string> fromManifests)
    {
        ArgumentNullException.ThrowIfNull(fromManifests);
        if (imageRepository is not null)
            return imageRepository;
        if (pushed is not null && pushed.Tags.Contains(tag))
            return pushed.ImageUri;
        if (registry is not null)
            return $"{registry}/{repository}";
        return fromManifests();
    }
}
