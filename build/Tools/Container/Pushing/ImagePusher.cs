using CloudAge.Common.Net;
using CloudAge.Common.Resilience;
using CloudAge.Common.Secrets;
using CloudAge.Tools.Container.Building;
using CloudAge.Tools.Container.Registry;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace CloudAge.Tools.Container.Pushing;

/// <summary>
/// Pushes a local image to an OCI registry through the engine's push API, every tag, with retries for transient
/// registry failures, tag-immutability checks before and a digest check in the registry after.
/// </summary>
public sealed class ImagePusher(IDockerClient docker, Uri endpoint, RegistryClient registry, SecretMasker masker, Action<string> log, RetryPolicy? retry = null)
{
    private readonly RetryPolicy _retry = retry ?? ContainerRetry.Default;

    /// <summary>A push try that reports no progress (no message from the engine) for this long is stalled and given up.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public async Task<PushResult> PushAsync(PushRequest request, IProgress<LayerProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Tags.Count == 0)
            throw new ArgumentException("A push needs at least one tag.", nameof(request));
        request.Credentials?.AddTo(masker);
        // The registry is asked while the engine is pinged and asked about the image: independent round trips (and their
        // first-call costs) at once. The engine's answers are awaited first, so an engine that is down is the error
        // reported even when all fail.
        var access = registry.CheckAccessAsync(cancellationToken);
        ImageInspectResponse local;
        try
        {
            local = await DockerEngine.EnsureRunningBesideAsync(docker, endpoint, token => InspectAsync(request.Image, token), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _ = access.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw;
        }
        await access.ConfigureAwait(false);

        var repository = $"{request.Registry}/{request.Repository}";
        var plan = await TagPlan.MakeAsync(request, registry, KnownDigests(local, repository), cancellationToken).ConfigureAwait(false);
        foreach (var tag in plan.Skipped)
            log($"Warning: {repository}:{tag} is left as it is: the repository keeps '{tag}' immutable ({request.ImmutableTags}) and it already points at another image.");
        foreach (var tag in plan.AlreadyThere)
            log($"{repository}:{tag} already points at this image; nothing to push for it.");

        var bytes = new Dictionary<string, long>();
        foreach (var tag in plan.ToPush)
            await PushTagAsync(request, repository, tag, local.ID, bytes, progress, cancellationToken).ConfigureAwait(false);

        // Round trips only where they tell something new: the engine learns the pushed digest only by pushing, so the
        // image is inspected again only after a push; a tag the plan found already on this image was read moments ago
        // and is not asked for again; each pushed tag is read back once, and that answer is the digest reported.
        var digests = plan.ToPush.Count > 0 ? KnownDigests(await InspectAsync(local.ID, cancellationToken).ConfigureAwait(false), repository) : KnownDigests(local, repository);
        plan.ThrowOnConflicts(repository, digests);
        var verified = new List<string>();
        string? digest = null;
        foreach (var tag in plan.ToPush)
        {
            var remote = await registry.GetManifestDigestAsync(request.Repository, tag, cancellationToken).ConfigureAwait(false);
            if (remote is null || !digests.Contains(remote))
                throw new ContainerException($"After the push, registry {request.Registry} holds {(remote ?? "nothing")} for {repository}:{tag}, " +
                    $"but the local image {local.ID} has digest {string.Join(" or ", digests.DefaultIfEmpty("(none)"))} there. Another push may have raced this one; push again.");
            verified.Add(tag);
            digest ??= remote;
        }
        foreach (var tag in plan.AlreadyThere)
        {
            verified.Add(tag);
            digest ??= plan.RemoteDigests.GetValueOrDefault(tag);
        }
        digest ??= digests.FirstOrDefault() ?? throw new ContainerException($"No tag of {repository} was pushed or found for image {local.ID}.");
        var uploaded = bytes.Values.Sum();
        log($"Pushed {repository}@{digest} as {string.Join(", ", verified)}; {uploaded} bytes uploaded.");
        return new PushResult(repository, digest, verified, plan.Skipped, uploaded);
    }

    private async Task PushTagAsync(PushRequest request, string repository, string tag, string imageId,
        Dictionary<string, long> bytes, IProgress<LayerProgress>? progress, CancellationToken cancellationToken)
    {
        await docker.Images.TagImageAsync(imageId, new ImageTagParameters { RepositoryName = repository, Tag = tag }, cancellationToken).ConfigureAwait(false);
        // The engine sends this as X-Registry-Auth (base64 JSON); it is never logged, as its encoding escapes the masker.
        var auth = request.Credentials is null ? new AuthConfig()
            : new AuthConfig { Username = request.Credentials.Username, Password = request.Credentials.Password, ServerAddress = request.Registry };
        var pipeline = _retry.Pipeline<bool>(o => o.Exception is TransientPushException or UploadStalledException, line => log(masker.Redact(line)),
            $"Push of {repository}:{tag}", _retry.AttemptTimeoutOrDefault() * 10);
        log($"Pushing {repository}:{tag}");
        try
        {
            await pipeline.ExecuteAsync(async token =>
            {
                var stream = new PushStream(tag, progress, bytes);
                // The engine reports every layer's progress while it uploads; silence for StallTimeout means the registry
                // stopped taking bytes, and the try is cut there instead of waiting for the whole attempt's timeout.
                using var stall = new StallWatch(StallTimeout, token);
                void OnMessage(JSONMessage message)
                {
                    stream.OnMessage(message);
                    stall.Progress();
                }
                try
                {
                    await docker.Images.PushImageAsync(repository, new ImagePushParameters { Tag = tag }, auth,
                        new SyncProgress<JSONMessage>(OnMessage), stall.Token).ConfigureAwait(false);
                }
                catch (DockerApiException e)
                {
                    Fail(e.ResponseBody is { Length: > 0 } body ? body.Trim() : e.Message);
                }
                catch (OperationCanceledException) when (stall.Stalled)
                {
                    throw new UploadStalledException(StallTimeout);
                }
                if (stream.Error is { } error)
                    Fail(error);
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (UploadStalledException e)
        {
            throw new ContainerException(masker.Redact(
                $"Pushing {repository}:{tag} to registry {request.Registry} stalled: no progress for {StallTimeout.TotalSeconds:0} s, after {_retry.MaxAttempts} tries. Check the registry and the network path to it (a proxy or firewall that drops long uploads)."), e);
        }
        catch (Exception e) when (e is TransientPushException or Polly.Timeout.TimeoutRejectedException)
        {
            throw new ContainerException(masker.Redact($"Pushing {repository}:{tag} failed after {_retry.MaxAttempts} tries; registry {request.Registry} answered: {e.Message}"), e);
        }
        catch (Exception e) when (DockerEngine.IsUnreachable(e))
        {
            throw DockerEngine.Unreachable(endpoint, e);
        }

        void Fail(string error)
        {
            // The engine relays the registry's words: one line, so a hostile registry cannot forge log lines.
            error = masker.Redact(CloudAge.Common.Text.PeerText.OneLine(error, 600));
            if (PushStream.IsTransient(error))
                throw new TransientPushException(error);
            throw new ContainerException($"Pushing {repository}:{tag} failed; registry {request.Registry} answered: {error}");
        }
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
    }

    private static HashSet<string> KnownDigests(ImageInspectResponse image, string repository) =>
        (image.RepoDigests ?? []).Where(d => d.StartsWith(repository + "@", StringComparison.Ordinal))
            .Select(d => d[(repository.Length + 1)..]).ToHashSet(StringComparer.Ordinal);

    private sealed class TransientPushException(string message) : Exception(message);
}
