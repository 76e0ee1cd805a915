using System.Text.Json;
using CloudAge.Common.Secrets;
using CloudAge.Testing;
using CloudAge.Tools.Container.Building;
using CloudAge.Tools.Container.Oci;
using CloudAge.Tools.Container.Pushing;
using CloudAge.Tools.Container.Registry;
using CloudAge.Tools.Container.Tests.Fixtures;

namespace CloudAge.Tools.Container.Tests.Pushing;

/// <summary>
/// Multi-platform pushes of images the real engine built for linux/amd64 and linux/arm64 (platform parameter), into a
/// real distribution 2.8 registry with htpasswd auth; the registry's answers are read back with a plain HTTP client.
/// </summary>
public sealed class IndexPusherTests(PushFixture fixture) : IClassFixture<PushFixture>
{
    private const Needs Prerequisites = Needs.Docker | Needs.Registry | Needs.Htpasswd;
    private readonly Log _log = new();

    private static string Repository() => "cloudage-index-" + Guid.NewGuid().ToString("N")[..8];

    private async Task<IndexPushResult> PushAsync(RegistryServer registry, string repository, IReadOnlyList<PlatformImage> images, string[] tags,
        string? cacheDirectory = null, bool immutable = false, List<LayerProgress>? progress = null)
    {
        var credentials = new RegistryCredentials(RegistryServer.User, registry.Password);
        using var client = new RegistryClient(registry.Address, credentials, new SecretMasker(), _log.Write, new RegistryClientOptions { Retry = PushFixture.FastRetries });
        using var docker = DockerEngine.Connect(DockerCli.Endpoint);
        return await new IndexPusher(docker, DockerCli.Endpoint, client, _log.Write).PushAsync(
            new IndexPushRequest(images, registry.Address, repository, tags) { CacheDirectory = cacheDirectory, ImmutableTags = TagImmutability.Of(immutable ? TagMutability.Immutable : TagMutability.Mutable) },
            new SyncProgressForTests<LayerProgress>(p => { lock (_log) progress?.Add(p); }));
    }

    // A push of one amd64 image from a stand-in engine (an export layout the engine here cannot write) into the real registry.
    private async Task<IndexPushResult> PushFromAsync(ExportingEngine engine, RegistryServer registry, string repository, string imageId)
    {
        var credentials = new RegistryCredentials(RegistryServer.User, registry.Password);
        using var client = new RegistryClient(registry.Address, credentials, new SecretMasker(), _log.Write, new RegistryClientOptions { Retry = PushFixture.FastRetries });
        using var docker = DockerEngine.Connect(engine.Endpoint);
        return await new IndexPusher(docker, engine.Endpoint, client, _log.Write).PushAsync(
            new IndexPushRequest([new(new OciPlatform("amd64", "linux"), imageId)], registry.Address, repository, ["1.0.0"]));
    }

    private async Task<PlatformImage[]> TwoPlatformsAsync(PlatformImages images) =>
    [
        new(new OciPlatform("amd64", "linux"), await images.BuildAsync("amd64")),
        new(new OciPlatform("arm64", "linux"), await images.BuildAsync("arm64")),
    ];

    [IntegrationFact(Prerequisites)]
    public async Task The_index_lists_both_platforms_with_their_platform_fields_and_both_manifests_resolve()
    {
        var registry = await fixture.RegistryAsync();
        var images = new PlatformImages(fixture.Docker);
        var platforms = await TwoPlatformsAsync(images);
        var repository = Repository();
        using var cache = new TempDirectory();
        var progress = new List<LayerProgress>();

        var result = await PushAsync(registry, repository, platforms, ["1.0.0", "sha-0123abc"], cache.Path, progress: progress);

        foreach (var tag in new[] { "1.0.0", "sha-0123abc" })
        {
            var (status, type, body) = await PlatformImages.GetAsync(registry, $"{repository}/manifests/{tag}");
            Assert.Equal(200, status);
            Assert.Equal(OciMediaTypes.ImageIndex, type);
            Assert.Equal(result.Digest, OciDescriptor.Sha256(body));
            using var index = JsonDocument.Parse(body);
            Assert.Equal(OciMediaTypes.ImageIndex, index.RootElement.GetProperty("mediaType").GetString());
            var manifests = index.RootElement.GetProperty("manifests").EnumerateArray().ToList();
            Assert.Equal(2, manifests.Count);
            Assert.Equal(["linux/amd64", "linux/arm64"], manifests.Select(m => $"{m.GetProperty("platform").GetProperty("os").GetString()}/{m.GetProperty("platform").GetProperty("architecture").GetString()}"));
            Assert.All(manifests, m => Assert.Equal(OciMediaTypes.ImageManifest, m.GetProperty("mediaType").GetString()));
        }
        for (var i = 0; i < 2; i++)
        {
            var platform = result.Platforms[i];
            var (status, type, body) = await PlatformImages.GetAsync(registry, $"{repository}/manifests/{platform.Digest}");
            Assert.Equal(200, status);
            Assert.Equal(OciMediaTypes.ImageManifest, type);
            using var manifest = JsonDocument.Parse(body);
            // The config pushed is the engine's own: its digest is the local image id, which names its architecture.
            var config = manifest.RootElement.GetProperty("config").GetProperty("digest").GetString()!;
            Assert.Equal(platforms[i].Image, config);
            var (configStatus, _, configBody) = await PlatformImages.GetAsync(registry, $"{repository}/blobs/{config}");
            Assert.Equal(200, configStatus);
            using var configJson = JsonDocument.Parse(configBody);
            Assert.Equal(platforms[i].Platform.Architecture, configJson.RootElement.GetProperty("architecture").GetString());
            foreach (var layer in manifest.RootElement.GetProperty("layers").EnumerateArray())
                Assert.Equal(200, (await PlatformImages.GetAsync(registry, $"{repository}/blobs/{layer.GetProperty("digest").GetString()}")).Status);
        }
        Assert.True(result.BytesUploaded > 2 * 64 * 1024, $"uploaded {result.BytesUploaded} bytes");
        Assert.Contains(progress, p => p.Status == "Pushed" && p.Tag == "linux/arm64");
        Assert.DoesNotContain(registry.Password, _log.Text, StringComparison.Ordinal);
    }

    [IntegrationFact(Prerequisites)]
    public async Task A_repush_of_the_same_images_uploads_nothing_and_gives_the_same_index_digest_with_or_without_the_cache()
    {
        var registry = await fixture.RegistryAsync();
        var platforms = await TwoPlatformsAsync(new PlatformImages(fixture.Docker));
        var repository = Repository();
        using var cache = new TempDirectory();

        var first = await PushAsync(registry, repository, platforms, ["sha-0123abc"], cache.Path);
        var cached = await PushAsync(registry, repository, platforms, ["sha-0123abc", "1.0.0"], cache.Path);
        var uncached = await PushAsync(registry, repository, platforms, ["sha-0123abc"], cacheDirectory: null);

        Assert.True(first.BytesUploaded > 0);
        Assert.Equal(0, cached.BytesUploaded);
        Assert.Equal(0, uncached.BytesUploaded);
        Assert.Equal(first.Digest, cached.Digest);
        Assert.Equal(first.Digest, uncached.Digest);
        Assert.Equal(first.Platforms.Select(p => p.Digest), uncached.Platforms.Select(p => p.Digest));
        Assert.Contains(_log.Lines, l => l.Contains("already points at this index", StringComparison.Ordinal));
        Assert.Equal(first.Digest, OciDescriptor.Sha256((await PlatformImages.GetAsync(registry, $"{repository}/manifests/1.0.0")).Body));
    }

    [IntegrationFact(Prerequisites)]
    public async Task An_image_of_another_platform_than_named_is_refused_before_anything_is_pushed()
    {
        var registry = await fixture.RegistryAsync();
        var images = new PlatformImages(fixture.Docker);
        var amd64 = await images.BuildAsync("amd64");
        var repository = Repository();

        var error = await Assert.ThrowsAsync<ContainerException>(() => PushAsync(registry, repository,
            [new(new OciPlatform("amd64", "linux"), amd64), new(new OciPlatform("arm64", "linux"), amd64)], ["sha-0123abc"]));

        Assert.Contains("given for linux/arm64 is a linux/amd64 image", error.Message, StringComparison.Ordinal);
        Assert.Equal(404, (await PlatformImages.GetAsync(registry, $"{repository}/manifests/sha-0123abc")).Status);
    }

    [IntegrationFact(Prerequisites)]
    public async Task On_an_immutable_repository_a_tag_on_another_index_is_a_conflict_and_latest_is_skipped()
    {
        var registry = await fixture.RegistryAsync();
        var images = new PlatformImages(fixture.Docker);
        var repository = Repository();
        await PushAsync(registry, repository, await TwoPlatformsAsync(images), ["1.0.0", "latest"]);
        var other = await TwoPlatformsAsync(images);

        var error = await Assert.ThrowsAsync<ContainerException>(() => PushAsync(registry, repository, other, ["1.0.0"], immutable: true));
        var skipped = await PushAsync(registry, repository, other, ["sha-4567def", "latest"], immutable: true);

        Assert.Contains("already points at", error.Message, StringComparison.Ordinal);
        Assert.Equal(["latest"], skipped.SkippedTags);
        Assert.Equal(["sha-4567def"], skipped.Tags);
    }

    [IntegrationFact(Prerequisites)]
    public async Task A_registry_that_stops_taking_a_blob_upload_fails_the_index_push_as_stalled_within_the_bound_and_names_the_registry()
    {
        var registry = await fixture.RegistryAsync();
        var images = new PlatformImages(fixture.Docker);
        PlatformImage[] platforms = [new(new OciPlatform("amd64", "linux"), await images.BuildAsync("amd64"))];
        var repository = Repository();
        // Every blob upload body through the proxy is taken and then left unread and unanswered; everything else passes.
        await using var proxy = await FaultProxy.StartAsync(registry.Address, FaultProxy.BlobUpload, Enumerable.Repeat(Fault.Stall, 50).ToArray());
        var stall = TimeSpan.FromSeconds(3);
        var credentials = new RegistryCredentials(RegistryServer.User, registry.Password);
        using var client = new RegistryClient(proxy.Address, credentials, new SecretMasker(), _log.Write,
            new RegistryClientOptions { Retry = PushFixture.FastRetries, StallTimeout = stall });
        using var docker = DockerEngine.Connect(DockerCli.Endpoint);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<ContainerException>(() =>
            new IndexPusher(docker, DockerCli.Endpoint, client, _log.Write).PushAsync(new IndexPushRequest(platforms, proxy.Address, repository, ["1.0.0"])));
        clock.Stop();

        // FastRetries: three tries of 3 s each; without the rule each try waits for the 60 s try timeout.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the push took {clock.Elapsed.TotalSeconds:0.0} s to fail");
        Assert.Equal(PushFixture.FastRetries.MaxAttempts, proxy.FailuresServed);
        Assert.Contains("stalled", error.Message, StringComparison.Ordinal);
        Assert.Contains($"registry {proxy.Address}", error.Message, StringComparison.Ordinal);
        Assert.Contains("no progress for 3 s", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("_state", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error.Message, StringComparison.Ordinal);
        Assert.Null(await PushFixture.RegistryDigestAsync(registry, repository, "1.0.0"));
        var everything = string.Join('\n', _log.Lines.Append(error.Message));
        Assert.DoesNotContain(registry.Password, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{RegistryServer.User}:{registry.Password}")), everything, StringComparison.Ordinal);
    }

    [IntegrationFact(Needs.Registry | Needs.Htpasswd)]
    public async Task A_containerd_store_image_is_pushed_with_its_gzip_layers_as_stored_which_unpack_to_its_configs_diff_ids()
    {
        var registry = await fixture.RegistryAsync();
        var image = new SavedImageTars();
        var (tar, imageId, _) = image.Containerd();
        await using var engine = await ExportingEngine.StartAsync(imageId, tar);
        var repository = Repository();

        var result = await PushFromAsync(engine, registry, repository, imageId);

        var (status, type, body) = await PlatformImages.GetAsync(registry, $"{repository}/manifests/{result.Platforms.Single().Digest}");
        Assert.Equal(200, status);
        Assert.Equal(OciMediaTypes.ImageManifest, type);
        using var manifest = JsonDocument.Parse(body);
        Assert.Equal(image.ImageId, manifest.RootElement.GetProperty("config").GetProperty("digest").GetString());
        Assert.Equal(image.Config, (await PlatformImages.GetAsync(registry, $"{repository}/blobs/{image.ImageId}")).Body);
        var layers = manifest.RootElement.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(image.GzippedLayers.Select(l => OciDescriptor.Sha256(l)), layers.Select(l => l.GetProperty("digest").GetString()));
        for (var i = 0; i < layers.Count; i++)
        {
            Assert.Equal(OciMediaTypes.LayerGzip, layers[i].GetProperty("mediaType").GetString());
            var blob = (await PlatformImages.GetAsync(registry, $"{repository}/blobs/{layers[i].GetProperty("digest").GetString()}")).Body;
            Assert.Equal(image.GzippedLayers[i], blob);
            using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(blob), System.IO.Compression.CompressionMode.Decompress);
            var tarBytes = new MemoryStream();
            await gzip.CopyToAsync(tarBytes);
            Assert.Equal(image.DiffIds[i], OciDescriptor.Sha256(tarBytes.ToArray()));
        }
        // The config and the two distinct layers, each once (the third layer is the first again).
        Assert.Equal(image.Config.Length + image.GzippedLayers[0].Length + image.GzippedLayers[1].Length, result.BytesUploaded);
    }

    [IntegrationFact(Needs.Registry | Needs.Htpasswd)]
    public async Task An_export_that_is_not_of_the_image_asked_for_is_refused_before_anything_is_pushed()
    {
        var registry = await fixture.RegistryAsync();
        var (tar, _, _) = new SavedImageTars().Containerd();
        var elsewhere = "sha256:" + new string('e', 64);
        await using var engine = await ExportingEngine.StartAsync(elsewhere, tar);
        var repository = Repository();

        var error = await Assert.ThrowsAsync<ContainerException>(() => PushFromAsync(engine, registry, repository, elsewhere));

        Assert.Contains($"The engine exported image {elsewhere} as another image", error.Message, StringComparison.Ordinal);
        Assert.Contains("Try again", error.Message, StringComparison.Ordinal);
        Assert.Null(await PushFixture.RegistryDigestAsync(registry, repository, "1.0.0"));
    }
}
