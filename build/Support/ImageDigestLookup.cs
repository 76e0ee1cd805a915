using CloudAge.Tools.Aws.Ecr;
using CloudAge.Tools.Container.Registry;

namespace CloudAge.Build.Support;

/// <summary>
/// The digest a registry holds for a tag, so BumpTag pins <c>tag@sha256:...</c> also on a fresh runner without
/// artifacts/image.json: ECR answers DescribeImages through the project's ECR client; any other registry a manifest
/// HEAD (with every manifest type in Accept, so it does not convert and answer another digest).
/// </summary>
public sealed class ImageDigestLookup(Func<CancellationToken, Task<EcrClient>> connectEcr, Func<string, RegistryClient> connectRegistry, Action<string> log)
{
    /// <summary>The tag's digest. A tag the registry does not have is refused, naming it, before anything is committed.
    /// Under <paramref name="dryRun"/> a registry that cannot be asked is a warning and the answer is null (the diff then shows the tag alone).</summary>
    /// <param name="repository">As the manifests name it: <c>host[:port]/path</c>.</param>
    /// <param name="ecr">Ask the ECR API (DescribeImages) rather than the registry itself.</param>
    public async Task<string?> ResolveAsync(string repository, string tag, bool ecr, bool dryRun, CancellationToken cancellationToken)
    {
        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
            throw new InvalidOperationException($"Image repository '{repository}' names no registry host; pass --image-repository as <registry>/<name>, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/cloudage.");
        var host = repository[..slash];
        var path = repository[(slash + 1)..];
        string? digest;
        try
        {
            digest = ecr ? await FromEcrAsync(path, tag, cancellationToken) : await FromRegistryAsync(host, path, tag, cancellationToken);
        }
        catch (Exception e) when (dryRun && e is not OperationCanceledException)
        {
            log($"warning: could not ask {(ecr ? "ECR" : host)} for the digest of {repository}:{tag} ({e.Message}); the dry run shows the tag alone.");
            return null;
        }
        if (digest is null)
            throw new InvalidOperationException(
                $"Image tag '{tag}' is not in repository {repository} ({(ecr ? "ECR DescribeImages" : $"HEAD {host}/v2/{path}/manifests/{tag}")} found no such image); " +
                "nothing was committed. Push it first (./build.sh PushEcr), or pass --image-tag (or --commit) of an image that was pushed.");
        log($"{repository}:{tag} is {digest} in the registry; pinning it.");
        return digest;
    }

    private async Task<string?> FromEcrAsync(string path, string tag, CancellationToken cancellationToken)
    {
        using var client = await connectEcr(cancellationToken);
        try
        {
            return (await client.DescribeImageAsync(path, EcrImageId.ByTag(tag), cancellationToken)).Digest;
        }
        catch (EcrException e) when (e.Type is "ImageNotFoundException")
        {
            return null;
        }
    }

    private async Task<string?> FromRegistryAsync(string host, string path, string tag, CancellationToken cancellationToken)
    {
        using var client = connectRegistry(host);
        return await client.GetManifestDigestAsync(path, tag, cancellationToken);
    }
}
