using CloudAge.Common.Secrets;
using CloudAge.Testing;
using CloudAge.Tools.Container.Building;
using CloudAge.Tools.Container.Pushing;
using CloudAge.Tools.Container.Registry;
using CloudAge.Tools.Container.Tests.Fixtures;

namespace CloudAge.Tools.Container.Tests.Pushing;

/// <summary>Pushes through the real Docker engine to a real distribution registry with htpasswd auth.</summary>
public sealed class ImagePusherTests(PushFixture fixture) : IClassFixture<PushFixture>
{
    private const Needs Prerequisites = Needs.Docker | Needs.Registry | Needs.Htpasswd;

    private readonly Log _log = new();
    private readonly List<LayerProgress> _progress = [];

    private async Task<PushResult> PushAsync(string image, string pushTo, string[] tags, RegistryServer registry, string repository,
        bool immutable = false, string? password = null, string? checkVia = null, TimeSpan? stallTimeout = null, TagImmutability? tagRules = null)
    {
        var credentials = new RegistryCredentials(RegistryServer.User, password ?? registry.Password);
        var masker = new SecretMasker();
        using var client = new RegistryClient(checkVia ?? pushTo, credentials, masker, _log.Write, new RegistryClientOptions { Retry = PushFixture.FastRetries });
        using var docker = DockerEngine.Connect(DockerCli.Endpoint);
        var pusher = new ImagePusher(docker, DockerCli.Endpoint, client, masker, _log.Write, PushFixture.FastRetries)
        {
            StallTimeout = stallTimeout ?? TimeSpan.FromSeconds(60),
        };
        return await pusher.PushAsync(new PushRequest(image, pushTo, repository, tags) { Credentials = credentials, ImmutableTags = tagRules ?? TagImmutability.Of(immutable ? TagMutability.Immutable : TagMutability.Mutable) },
            new SyncProgressForTests<LayerProgress>(p => { lock (_progress) _progress.Add(p); }));
    }

    private void AssertNoSecretIn(string password, params string?[] more)
    {
        var everything = string.Join('\n', _log.Lines.Concat(_progress.Select(p => p.ToString())).Concat(more.Select(m => m ?? "")));
        Assert.DoesNotContain(password, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(password)), everything, StringComparison.Ordinal);
    }

    private static string Repository() => "cloudage-" + Guid.NewGuid().ToString("N")[..8];

    [IntegrationFact(Prerequisites)]
    public async Task Push_puts_every_tag_in_the_registry_with_the_local_digest()
    {
        var registry = await fixture.RegistryAsync();
        var image = await fixture.FreshImageAsync();
        var repository = Repository();

        var result = await PushAsync(image, registry.Address, ["1.0.0", "sha-0123abc"], registry, repository);

        var repoDigests = await fixture.Docker.RunAsync("image", "inspect", "--format", "{{join .RepoDigests \",\"}}", image);
        Assert.Equal($"{registry.Address}/{repository}", result.ImageUri);
        Assert.Equal(["1.0.0", "sha-0123abc"], result.Tags);
        Assert.Equal(result.Digest, await PushFixture.RegistryDigestAsync(registry, repository, "1.0.0"));
        Assert.Equal(result.Digest, await PushFixture.RegistryDigestAsync(registry, repository, "sha-0123abc"));
        Assert.Contains($"{registry.Address}/{repository}@{result.Digest}", repoDigests);
        Assert.True(result.BytesUploaded > 256 * 1024 / 2, $"uploaded {result.BytesUploaded} bytes");
        Assert.Contains(_progress, p => p.Status == "Pushing" && p.Total > 0 && p.Current > 0);
        Assert.Contains(_progress, p => p.Status == "Pushed");
        AssertNoSecretIn(registry.Password);
    }

    [IntegrationFact(Prerequisites)]
    public async Task Pushing_the_same_image_again_uploads_no_layer_bytes()
    {
        var registry = await fixture.RegistryAsync();
        var image = await fixture.FreshImageAsync();
        var repository = Repository();
        var first = await PushAsync(image, registry.Address, ["one"], registry, repository);
        _progress.Clear();

        var again = await PushAsync(image, registry.Address, ["one"], registry, repository);
        var newTag = await PushAsync(image, registry.Address, ["two"], registry, repository);

        Assert.True(first.BytesUploaded > 0);
        Assert.Equal((0L, first.Digest), (again.BytesUploaded, again.Digest));
        Assert.Equal((0L, first.Digest), (newTag.BytesUploaded, newTag.Digest));
        Assert.Contains(_progress, p => p.Tag == "two" && p.Status == "Layer already exists");
        Assert.DoesNotContain(_progress, p => p.Status == "Pushing");
        AssertNoSecretIn(registry.Password);
    }

    [IntegrationFact(Prerequisites)]
    public async Task A_push_reads_each_tag_once_before_and_once_after_and_a_repeat_push_only_before()
    {
        var registry = await fixture.RegistryAsync();
        var image = await fixture.FreshImageAsync();
        var repository = Repository();
        var reads = new System.Collections.Concurrent.ConcurrentQueue<string>();
        // A counting proxy (it never fails a request) in front of the registry, for the pusher's own registry checks.
        await using var proxy = await FaultProxy.StartAsync(registry.Address, request =>
        {
            if (request.Method == "HEAD" && request.Path.Value!.Contains("/manifests/", StringComparison.Ordinal) && request.Headers.Authorization.Count > 0)
                reads.Enqueue(request.Path.Value);
            return false;
        }, failures: 0);

        var first = await PushAsync(image, registry.Address, ["one", "two"], registry, repository, checkVia: proxy.Address);
        var readsOfFirst = reads.ToArray();
        reads.Clear();
        var again = await PushAsync(image, registry.Address, ["one", "two"], registry, repository, checkVia: proxy.Address);

        // Before: is the tag there? After: does it hold the pushed digest? Nothing more (it used to read a tag a third time).
        Assert.Equal(4, readsOfFirst.Length);
        Assert.Equal(2, readsOfFirst.Count(p => p.EndsWith("/manifests/one", StringComparison.Ordinal)));
        // A repeat push finds both tags on this image and asks nothing again.
        Assert.Equal(2, reads.Count);
        Assert.Equal((first.Digest, 0L), (again.Digest, again.BytesUploaded));
        Assert.Equal(["one", "two"], again.Tags);
        Assert.Equal(first.Digest, await PushFixture.RegistryDigestAsync(registry, repository, "one"));
    }

    [IntegrationFact(Prerequisites)]
    public async Task An_immutable_tag_on_another_digest_is_a_clear_error_and_stays_put()
    {
        var registry = await fixture.RegistryAsync();
        var (a, b) = await fixture.ImagesAsync();
        var repository = Repository();
        var first = await PushAsync(a, registry.Address, ["1.0.0"], registry, repository);

        var error = await Assert.ThrowsAsync<ContainerException>(() => PushAsync(b, registry.Address, ["1.0.0"], registry, repository, immutable: true));

        Assert.Contains($"Tag {registry.Address}/{repository}:1.0.0 already points at {first.Digest}", error.Message);
        Assert.Contains("immutable", error.Message);
        Assert.Equal(first.Digest, await PushFixture.RegistryDigestAsync(registry, repository, "1.0.0"));
        AssertNoSecretIn(registry.Password, error.Message);
    }

    [IntegrationFact(Prerequisites)]
    public async Task On_an_immutable_repository_latest_is_skipped_with_a_warning_and_the_same_digest_is_fine()
    {
        var registry = await fixture.RegistryAsync();
        var (a, b) = await fixture.ImagesAsync();
        var repository = Repository();
        var first = await PushAsync(a, registry.Address, ["latest", "sha-aaaaaaa"], registry, repository);

        var same = await PushAsync(a, registry.Address, ["sha-aaaaaaa"], registry, repository, immutable: true);
        var other = await PushAsync(b, registry.Address, ["latest", "sha-bbbbbbb"], registry, repository, immutable: true);

        Assert.Equal((first.Digest, 0L), (same.Digest, same.BytesUploaded));
        Assert.Equal(["latest"], other.SkippedTags);
        Assert.Equal(["sha-bbbbbbb"], other.Tags);
        Assert.Contains(_log.Lines, l => l.StartsWith("Warning:", StringComparison.Ordinal) && l.Contains(":latest is left as it is", StringComparison.Ordinal));
        Assert.Equal(first.Digest, await PushFixture.RegistryDigestAsync(registry, repository, "latest"));
        Assert.Equal(other.Digest, await PushFixture.RegistryDigestAsync(registry, repository, "sha-bbbbbbb"));
    }

    [IntegrationFact(Prerequisites)]
    public async Task Immutable_except_latest_and_dev_moves_those_tags_and_refuses_to_move_a_release()
    {
        // ECR's IMMUTABLE_WITH_EXCLUSION with the WILDCARD filters latest and dev-*.
        var rules = new TagImmutability(true, ["latest", "dev-*"]);
        var registry = await fixture.RegistryAsync();
        var (a, b) = await fixture.ImagesAsync();
        var repository = Repository();
        await PushAsync(a, registry.Address, ["latest", "dev-main", "1.0.0"], registry, repository);

        var moved = await PushAsync(b, registry.Address, ["latest", "dev-main", "sha-bbbbbbb"], registry, repository, tagRules: rules);
        var error = await Assert.ThrowsAsync<ContainerException>(() => PushAsync(b, registry.Address, ["1.0.0"], registry, repository, tagRules: rules));

        Assert.Empty(moved.SkippedTags);
        Assert.Equal(["latest", "dev-main", "sha-bbbbbbb"], moved.Tags);
        Assert.Equal(moved.Digest, await PushFixture.RegistryDigestAsync(registry, repository, "latest"));
        Assert.Equal(moved.Digest, await PushFixture.RegistryDigestAsync(registry, repository, "dev-main"));
        Assert.Contains("1.0.0 already points at", error.Message, StringComparison.Ordinal);
        Assert.Contains("keeps that tag immutable", error.Message, StringComparison.Ordinal);
    }

    [IntegrationFact(Prerequisites)]
    public async Task Wrong_credentials_are_a_clear_error_without_the_password()
    {
        var registry = await fixture.RegistryAsync();
        var (image, _) = await fixture.ImagesAsync();
        var wrong = "wrong-" + Guid.NewGuid().ToString("N");

        var error = await Assert.ThrowsAsync<ContainerException>(() => PushAsync(image, registry.Address, ["x"], registry, Repository(), password: wrong));

        Assert.Contains($"Registry {registry.Address} refused the credentials of user '{RegistryServer.User}'", error.Message);
        Assert.Contains("UNAUTHORIZED", error.Message);
        AssertNoSecretIn(wrong, error.Message, error.ToString());
    }

    [IntegrationFact(Prerequisites)]
    public async Task A_registry_that_is_down_fails_after_the_retries_naming_it()
    {
        var registry = await fixture.RegistryAsync();
        var (image, _) = await fixture.ImagesAsync();
        var down = $"127.0.0.1:{FreePort.Next()}";

        var error = await Assert.ThrowsAsync<ContainerException>(() => PushAsync(image, down, ["x"], registry, Repository()));

        Assert.Contains($"Registry {down} did not answer http://{down}/v2/ after 3 tries", error.Message);
        Assert.Equal(2, _log.Lines.Count(l => l.Contains("retrying in", StringComparison.Ordinal)));
    }

    [IntegrationFact(Prerequisites)]
    public async Task Push_retries_when_the_registry_answers_503_and_succeeds_when_it_recovers()
    {
        var registry = await fixture.RegistryAsync();
        var (image, _) = await fixture.ImagesAsync();
        var repository = Repository();
        await using var proxy = await FaultProxy.StartAsync(registry.Address, FaultProxy.ManifestPut, failures: 2);

        // The engine pushes through the failing proxy; the checks read the registry directly.
        var result = await PushAsync(image, proxy.Address, ["1.0.0"], registry, repository, checkVia: registry.Address);

        Assert.Equal(2, proxy.FailuresServed);
        Assert.Equal(2, _log.Lines.Count(l => l.Contains("Push of", StringComparison.Ordinal) && l.Contains("503", StringComparison.Ordinal) && l.Contains("retrying in", StringComparison.Ordinal)));
        Assert.Equal(result.Digest, await PushFixture.RegistryDigestAsync(registry, repository, "1.0.0"));
        AssertNoSecretIn(registry.Password);
    }

    [IntegrationFact(Prerequisites)]
    public async Task Registry_checks_retry_503_answers_until_the_registry_recovers()
    {
        var registry = await fixture.RegistryAsync();
        await using var proxy = await FaultProxy.StartAsync(registry.Address, r => r.Method is "GET" or "HEAD", failures: 2);
        using var client = new RegistryClient(proxy.Address, new RegistryCredentials(RegistryServer.User, registry.Password), new SecretMasker(), _log.Write,
            new RegistryClientOptions { Retry = PushFixture.FastRetries });

        await client.CheckAccessAsync();
        var digest = await client.GetManifestDigestAsync("nothing-here", "latest");

        Assert.Null(digest);
        Assert.Equal(2, proxy.FailuresServed);
        AssertNoSecretIn(registry.Password);
    }

    [IntegrationFact(Prerequisites)]
    public async Task A_registry_that_stops_taking_the_upload_fails_the_push_as_stalled_within_the_bound_and_names_the_registry()
    {
        var registry = await fixture.RegistryAsync();
        var image = await fixture.FreshImageAsync();
        var repository = Repository();
        // Every layer upload through the proxy is taken and then left unread and unanswered; everything else passes.
        await using var proxy = await FaultProxy.StartAsync(registry.Address, FaultProxy.BlobUpload, Enumerable.Repeat(Fault.Stall, 50).ToArray());
        var stall = TimeSpan.FromSeconds(3);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<ContainerException>(() =>
            PushAsync(image, proxy.Address, ["1.0.0"], registry, repository, checkVia: registry.Address, stallTimeout: stall));
        clock.Stop();

        // Three tries of about 3 s each and short backoffs; without the rule the engine waits on the socket for many minutes.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the push took {clock.Elapsed.TotalSeconds:0.0} s to fail");
        Assert.True(clock.Elapsed >= stall * PushFixture.FastRetries.MaxAttempts, $"the push failed after {clock.Elapsed.TotalSeconds:0.0} s, before the stall rule could apply");
        // The engine may still be opening the next upload when a later try's silence runs out, so not every try stalls an upload.
        Assert.True(proxy.FailuresServed >= 1, "no upload went through the stalling proxy");
        Assert.Contains("stalled", error.Message, StringComparison.Ordinal);
        Assert.Contains($"registry {proxy.Address}", error.Message, StringComparison.Ordinal);
        Assert.Contains("no progress for 3 s", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error.Message, StringComparison.Ordinal);
        Assert.Null(await PushFixture.RegistryDigestAsync(registry, repository, "1.0.0"));
        AssertNoSecretIn(registry.Password, error.Message);
    }
}
