using CloudAge.Tools.Container.Building;
using CloudAge.Tools.Container.Oci;
using CloudAge.Tools.Container.Registry;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace CloudAge.Tools.Container.Pushing;

/// <summary>
/// Pushes a multi-platform image as docker buildx does, without buildx: each platform's image by digest (OCI image
/// manifest, gzip layers (a layer the engine stores compressed as it is), blobs the registry already holds are not sent),
/// then one OCI image index under every tag.
/// The index bytes are computed locally before anything is sent, so an unchanged build gives the same index digest.
/// </summary>
public sealed class IndexPusher(IDockerClient docker, Uri endpoint, RegistryClient registry, Action<string> log)
{
    public async Task<IndexPushResult> PushAsync(IndexPushRequest request, IProgress<LayerProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Tags.Count == 0)
            throw new ArgumentException("A push needs at least one tag.", nameof(request));
        if (request.Images.Count == 0)
            throw new ArgumentException("A multi-platform push needs at least one platform image.", nameof(request));
        var duplicate = request.Images.GroupBy(i => i.Platform).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Platform {duplicate.Key} is given twice.", nameof(request));
        await DockerEngine.EnsureRunningAsync(docker, endpoint, cancellationToken).ConfigureAwait(false);
        await registry.CheckAccessAsync(cancellationToken).ConfigureAwait(false);

        var repository = $"{request.Registry}/{request.Repository}";
        var cache = new LayerCache(request.CacheDirectory);
        var uploaded = new long[request.Images.Count];
        // Platforms go side by side: one exports and compresses while the other uploads.
        var pushed = await Task.WhenAll(request.Images.Select((image, i) =>
            PushPlatformAsync(request.Repository, image, cache, progress, bytes => Interlocked.Add(ref uploaded[i], bytes), cancellationToken))).ConfigureAwait(false);

        var index = new OciIndex(pushed.Select(p => p.Descriptor).ToList());
        var indexBytes = OciJson.Serialize(index);
        var indexDescriptor = OciDescriptor.Of(OciMediaTypes.ImageIndex, indexBytes);
        var plan = await TagPlan.MakeAsync(new PushRequest(indexDescriptor.Digest, request.Registry, request.Repository, request.Tags) { ImmutableTags = request.ImmutableTags },
            registry, new HashSet<string>([indexDescriptor.Digest], StringComparer.Ordinal), cancellationToken).ConfigureAwait(false);
        foreach (var tag in plan.Skipped)
            log($"Warning: {repository}:{tag} is left as it is: the repository keeps '{tag}' immutable ({request.ImmutableTags}) and it already points at another image.");
        foreach (var tag in plan.AlreadyThere)
            log($"{repository}:{tag} already points at this index; nothing to push for it.");
        foreach (var tag in plan.ToPush)
        {
            var (digest, _) = await registry.PutManifestAsync(request.Repository, tag, OciMediaTypes.ImageIndex, indexBytes, cancellationToken).ConfigureAwait(false);
            if (digest != indexDescriptor.Digest)
                throw new ContainerException($"Registry {request.Registry} stored the index under {repository}:{tag} as {digest}, not {indexDescriptor.Digest}; it rewrote the index. Use a registry that keeps manifests byte for byte (ECR and distribution do).");
        }

        var verified = new List<string>();
        foreach (var tag in plan.ToPush.Concat(plan.AlreadyThere))
        {
            var remote = await registry.GetManifestDigestAsync(request.Repository, tag, cancellationToken).ConfigureAwait(false);
            if (remote != indexDescriptor.Digest)
                throw new ContainerException($"After the push, registry {request.Registry} holds {remote ?? "nothing"} for {repository}:{tag}, not the index {indexDescriptor.Digest}. Another push may have raced this one; push again.");
            verified.Add(tag);
        }
        var total = uploaded.Sum();
        var platforms = pushed.Select(p => new PushedPlatform(p.Descriptor.Platform!, p.Descriptor.Digest, p.ImageId)).ToList();
        log($"Pushed index {repository}@{indexDescriptor.Digest} ({string.Join(", ", platforms.Select(p => $"{p.Platform} {p.Digest[..19]}"))}) as {string.Join(", ", verified)}; {total} bytes uploaded.");
        return new IndexPushResult(repository, indexDescriptor.Digest, indexDescriptor, platforms, verified, plan.Skipped, total);
    }

    private async Task<(OciDescriptor Descriptor, string ImageId)> PushPlatformAsync(string repository, PlatformImage image, LayerCache cache,
        IProgress<LayerProgress>? progress, Action<long> uploaded, CancellationToken cancellationToken)
    {
        var local = await InspectAsync(image.Image, cancellationToken).ConfigureAwait(false);
        var actual = new OciPlatform(local.Architecture, local.Os, string.IsNullOrEmpty(local.Variant) ? null : local.Variant);
        if (actual.Architecture != image.Platform.Architecture || actual.Os != image.Platform.Os)
            throw new ContainerException($"The image {image.Image} given for {image.Platform} is a {actual} image; build it with platform {image.Platform} " +
                $"(its base image must be a {image.Platform} one too).");
        var platform = image.Platform with { Variant = image.Platform.Variant ?? actual.Variant };
        var label = platform.ToString();

        // A re-push of an image pushed before: its manifest is remembered, so the registry is asked first.
        if (cache.Manifest(local.ID) is { } remembered && await HoldsAsync(repository, remembered, cancellationToken).ConfigureAwait(false))
        {
            progress?.Report(new LayerProgress(label, OciDescriptor.Sha256(remembered)[7..19], "Layer already exists", 0, 0));
            log($"{label}: the registry holds this image's manifest already; nothing to upload.");
            return (OciDescriptor.Of(OciMediaTypes.ImageManifest, remembered) with { Platform = platform }, local.ID);
        }

        using var export = await ImageExport.SaveAsync(endpoint, local.ID, cancellationToken).ConfigureAwait(false);
        var config = OciDescriptor.Of(OciMediaTypes.ImageConfig, export.Config);
        if (!export.Identifies(local.ID))
            throw new ContainerException($"The engine exported image {local.ID} as another image (config {config.Digest}); the image was replaced meanwhile or the export is damaged. Try again.");
        await UploadIfMissingAsync(repository, config, () => new MemoryStream(export.Config), label, progress, uploaded, cancellationToken).ConfigureAwait(false);

        var layers = new List<OciDescriptor>();
        foreach (var layer in export.Layers)
        {
            // An uncompressed layer's gzip is remembered by its diff id; a layer the engine stores compressed is pushed as it is.
            if (layer.CompressedAs is null && cache.Layer(layer.Digest) is { } known && await registry.BlobExistsAsync(repository, known.Digest, cancellationToken).ConfigureAwait(false))
            {
                progress?.Report(new LayerProgress(label, known.Digest[7..19], "Layer already exists", known.Size, known.Size));
                layers.Add(known);
                continue;
            }
            var compressed = await layer.CompressAsync(cancellationToken).ConfigureAwait(false);
            if (layer.CompressedAs is null)
                cache.AddLayer(layer.Digest, compressed);
            await UploadIfMissingAsync(repository, compressed, () => File.OpenRead(layer.CompressedPath), label, progress, uploaded, cancellationToken).ConfigureAwait(false);
            layers.Add(compressed);
        }

        var manifest = OciJson.Serialize(new OciManifest(config, layers));
        var descriptor = OciDescriptor.Of(OciMediaTypes.ImageManifest, manifest) with { Platform = platform };
        var (digest, _) = await registry.PutManifestAsync(repository, descriptor.Digest, OciMediaTypes.ImageManifest, manifest, cancellationToken).ConfigureAwait(false);
        if (digest != descriptor.Digest)
            throw new ContainerException($"Registry {registry.Registry} stored the {label} manifest as {digest}, not {descriptor.Digest}.");
        cache.AddManifest(local.ID, manifest);
        log($"{label}: pushed manifest {repository}@{descriptor.Digest}");
        return (descriptor, local.ID);
    }

    private async Task<bool> HoldsAsync(string repository, byte[] manifest, CancellationToken cancellationToken) =>
        await registry.GetManifestDigestAsync(repository, OciDescriptor.Sha256(manifest), cancellationToken).ConfigureAwait(false) is not null;

    private async Task UploadIfMissingAsync(string repository, OciDescriptor blob, Func<Stream> open, string label,
        IProgress<LayerProgress>? progress, Action<long> uploaded, CancellationToken cancellationToken)
    {
        var id = blob.Digest[7..19];
        if (await registry.BlobExistsAsync(repository, blob.Digest, cancellationToken).ConfigureAwait(false))
        {
            progress?.Report(new LayerProgress(label, id, "Layer already exists", blob.Size, blob.Size));
            return;
        }
        progress?.Report(new LayerProgress(label, id, "Pushing", 0, blob.Size));
        await registry.UploadBlobAsync(repository, blob.Digest, open, cancellationToken).ConfigureAwait(false);
        uploaded(blob.Size);
        progress?.Report(new LayerProgress(label, id, "Pushed", blob.Size, blob.Size));
    }

    private async Task<ImageInspectResponse> InspectAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            return await docker.Images.InspectImageAsync(image, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerImageNotFoundException e)
        {
            throw new ContainerException($"The image '{image}' is not in the local Docker engine; build it first (DockerBuild).", e);
        }
        catch (Exception e) when (DockerEngine.IsUnreachable(e))
        {
            throw DockerEngine.Unreachable(endpoint, e);
        }
    }
}
