using System.Text;
using System.Text.Json;
using CloudAge.Common.Secrets;
using CloudAge.Testing;
using CloudAge.Tools.Container.Attestations;
using CloudAge.Tools.Container.Building;
using CloudAge.Tools.Container.Oci;
using CloudAge.Tools.Container.Tests.Attestations;
using CloudAge.Tools.Container.Pushing;
using CloudAge.Tools.Container.Registry;
using CloudAge.Tools.Container.Tests.Fixtures;

namespace CloudAge.Tools.Container.Tests.Pushing;

/// <summary>
/// SBOM and provenance attached to a pushed index in the real distribution 2.8 registry, which has no referrers API:
/// they must be found through the referrers tag schema (sha256-&lt;hex&gt;), and read back as what was attached.
/// And the same registry behind <see cref="ReferrersApiProxy"/>, which gives it the OCI 1.1 referrers API as ECR has it:
/// no fallback tag, the list read through the API, page by page.
/// </summary>
public sealed class ReferrersTests(PushFixture fixture) : IClassFixture<PushFixture>
{
    private const Needs Prerequisites = Needs.Docker | Needs.Registry | Needs.Htpasswd;
    private static readonly DateTimeOffset CommitTime = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private readonly Log _log = new();

    private const string CycloneDx = """
        {"bomFormat":"CycloneDX","specVersion":"1.7","serialNumber":"urn:uuid:640e92fb-24b2-4034-a1f8-571be0ee5ead","version":1,
         "metadata":{"timestamp":"2026-12-01T11:43:52Z","component":{"type":"application","name":"cloudage","version":"1.0.0"}},
         "components":[{"type":"library","bom-ref":"pkg:nuget/A@1.0.0","name":"A","version":"1.0.0","purl":"pkg:nuget/A@1.0.0"},
                       {"type":"library","bom-ref":"pkg:nuget/B@2.0.0","name":"B","version":"2.0.0","purl":"pkg:nuget/B@2.0.0"}]}
        """;

    [IntegrationFact(Prerequisites)]
    public async Task Sbom_and_provenance_are_found_through_the_referrers_tag_and_are_valid_documents()
    {
        var registry = await fixture.RegistryAsync();
        var images = new PlatformImages(fixture.Docker);
        var repository = "cloudage-refs-" + Guid.NewGuid().ToString("N")[..8];
        var credentials = new RegistryCredentials(RegistryServer.User, registry.Password);
        using var client = new RegistryClient(registry.Address, credentials, new SecretMasker(), _log.Write, new RegistryClientOptions { Retry = PushFixture.FastRetries });
        using var docker = DockerEngine.Connect(DockerCli.Endpoint);
        var pushed = await new IndexPusher(docker, DockerCli.Endpoint, client, _log.Write).PushAsync(new IndexPushRequest(
            [new(new OciPlatform("amd64", "linux"), await images.BuildAsync("amd64")), new(new OciPlatform("arm64", "linux"), await images.BuildAsync("arm64"))],
            registry.Address, repository, ["sha-0123abc"]));
        var referrers = new Referrers(client, _log.Write);
        var sbom = Sbom.MakeReproducible(Encoding.UTF8.GetBytes(CycloneDx), pushed.Digest, CommitTime);
        var provenance = Provenance.Create(new ProvenanceFacts($"{registry.Address}/{repository}", pushed.Digest, "https://github.com/org/cloudage",
            new string('c', 40), "./build.sh PushEcr --platforms linux/amd64,linux/arm64", "urn:cloudage:builder:local", CommitTime));
        var created = new Dictionary<string, string> { ["org.opencontainers.image.created"] = "2026-11-30T12:00:00Z" };

        var attachedSbom = await referrers.AttachAsync(repository, pushed.Index, OciMediaTypes.CycloneDxJson, sbom, "cloudage.cdx.json", created);
        var attachedProvenance = await referrers.AttachAsync(repository, pushed.Index, OciMediaTypes.InTotoJson, provenance, "provenance.intoto.json", created);
        var again = await referrers.AttachAsync(repository, pushed.Index, OciMediaTypes.CycloneDxJson, sbom, "cloudage.cdx.json", created);

        // The registry has no referrers API (404), so the fallback tag holds an index of both artifacts, once each.
        Assert.Null(await client.GetReferrersAsync(repository, pushed.Digest));
        var (status, type, body) = await PlatformImages.GetAsync(registry, $"{repository}/manifests/{Referrers.FallbackTag(pushed.Digest)}");
        Assert.Equal(200, status);
        Assert.Equal(OciMediaTypes.ImageIndex, type);
        using (var fallback = JsonDocument.Parse(body))
        {
            var listed = fallback.RootElement.GetProperty("manifests").EnumerateArray().Select(m => (m.GetProperty("digest").GetString(), m.GetProperty("artifactType").GetString())).ToList();
            Assert.Equal([(attachedSbom.Manifest.Digest, OciMediaTypes.CycloneDxJson), (attachedProvenance.Manifest.Digest, OciMediaTypes.InTotoJson)], listed);
        }
        Assert.Equal(attachedSbom.Manifest.Digest, again.Manifest.Digest);

        // Each artifact manifest names the index as its subject.
        var (_, _, artifactBody) = await PlatformImages.GetAsync(registry, $"{repository}/manifests/{attachedSbom.Manifest.Digest}");
        using (var artifact = JsonDocument.Parse(artifactBody))
        {
            Assert.Equal(pushed.Digest, artifact.RootElement.GetProperty("subject").GetProperty("digest").GetString());
            Assert.Equal(OciMediaTypes.ImageIndex, artifact.RootElement.GetProperty("subject").GetProperty("mediaType").GetString());
            Assert.Equal(OciMediaTypes.CycloneDxJson, artifact.RootElement.GetProperty("artifactType").GetString());
            Assert.Equal(OciMediaTypes.Empty, artifact.RootElement.GetProperty("config").GetProperty("mediaType").GetString());
        }

        var found = await referrers.ListAsync(repository, pushed.Digest);
        var foundSbom = Assert.Single(found, a => a.ArtifactType == OciMediaTypes.CycloneDxJson);
        var foundProvenance = Assert.Single(found, a => a.ArtifactType == OciMediaTypes.InTotoJson);
        var readSbom = await referrers.ReadAsync(repository, foundSbom);
        var readProvenance = await referrers.ReadAsync(repository, foundProvenance);
        Assert.Equal(sbom, readSbom);
        AttestationDocuments.AssertValidCycloneDx(readSbom, pushed.Digest, CommitTime, components: 2);
        AttestationDocuments.AssertValidInTotoStatement(readProvenance, pushed.Digest);
    }

    [IntegrationFact(Prerequisites)]
    public async Task With_the_referrers_API_no_fallback_tag_is_written_and_the_artifacts_are_listed_page_by_page()
    {
        var registry = await fixture.RegistryAsync();
        await using var api = await ReferrersApiProxy.StartAsync(registry.Address, pageSize: 1);
        var (client, repository, pushed) = await PushIndexAsync(registry, api.Address);
        using var _ = client;
        var referrers = new Referrers(client, _log.Write);
        var sbom = Sbom.MakeReproducible(Encoding.UTF8.GetBytes(CycloneDx), pushed.Digest, CommitTime);
        var provenance = Provenance.Create(new ProvenanceFacts($"{api.Address}/{repository}", pushed.Digest, "https://github.com/org/cloudage",
            new string('c', 40), "./build.sh PushEcr", "urn:cloudage:builder:local", CommitTime));

        var attachedSbom = await referrers.AttachAsync(repository, pushed.Index, OciMediaTypes.CycloneDxJson, sbom, "cloudage.cdx.json");
        var attachedProvenance = await referrers.AttachAsync(repository, pushed.Index, OciMediaTypes.InTotoJson, provenance, "provenance.intoto.json");

        // The registry answered OCI-Subject, so nothing was written under the referrers tag, through the proxy or around it.
        Assert.DoesNotContain(api.Requests, r => r.Contains("/manifests/sha256-", StringComparison.Ordinal));
        var (status, _, _) = await PlatformImages.GetAsync(registry, $"{repository}/manifests/{Referrers.FallbackTag(pushed.Digest)}");
        Assert.Equal(404, status);
        var attachedLines = _log.Lines.Where(l => l.StartsWith("Attached", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, attachedLines.Count);
        Assert.All(attachedLines, l => Assert.DoesNotContain("referrers tag", l));

        // Two referrers at one per page: two answers, the second reached through the first's Link header.
        var asked = api.Requests.Count;
        var listed = await client.GetReferrersAsync(repository, pushed.Digest);
        Assert.NotNull(listed);
        Assert.Equal(new[] { attachedSbom.Manifest.Digest, attachedProvenance.Manifest.Digest }.Order(StringComparer.Ordinal), listed.Manifests.Select(m => m.Digest).Order(StringComparer.Ordinal));
        Assert.Equal(2, api.Requests.Skip(asked).Count(r => r.StartsWith($"GET /v2/{repository}/referrers/", StringComparison.Ordinal)));
        Assert.All(listed.Manifests, m => Assert.Equal(OciMediaTypes.ImageManifest, m.MediaType));

        var foundSbom = Assert.Single(await referrers.ListAsync(repository, pushed.Digest, OciMediaTypes.CycloneDxJson));
        var foundProvenance = Assert.Single(await referrers.ListAsync(repository, pushed.Digest, OciMediaTypes.InTotoJson));
        Assert.Equal(sbom, await referrers.ReadAsync(repository, foundSbom));
        AttestationDocuments.AssertValidInTotoStatement(await referrers.ReadAsync(repository, foundProvenance), pushed.Digest);

        // A re-push of the same build (a new process, so nothing remembered) finds both listed and writes nothing.
        var before = api.Requests.Count;
        var again = new Referrers(client, _log.Write);
        Assert.Equal(attachedSbom.Manifest.Digest, (await again.AttachAsync(repository, pushed.Index, OciMediaTypes.CycloneDxJson, sbom, "cloudage.cdx.json")).Manifest.Digest);
        Assert.Equal(attachedProvenance.Manifest.Digest, (await again.AttachAsync(repository, pushed.Index, OciMediaTypes.InTotoJson, provenance, "provenance.intoto.json")).Manifest.Digest);
        Assert.DoesNotContain(api.Requests.Skip(before), r => !r.StartsWith("GET ", StringComparison.Ordinal));

        // A registry with the API lists nothing as an empty index, never as "no API".
        var nothing = await client.GetReferrersAsync(repository, "sha256:" + new string('0', 64));
        Assert.NotNull(nothing);
        Assert.Empty(nothing.Manifests);
    }

    [IntegrationFact(Prerequisites)]
    public async Task A_registry_with_the_API_that_does_not_answer_OCI_Subject_gets_no_referrers_tag_when_its_list_holds_the_artifact()
    {
        var registry = await fixture.RegistryAsync();
        await using var api = await ReferrersApiProxy.StartAsync(registry.Address, silentSubject: true);
        var (client, repository, pushed) = await PushIndexAsync(registry, api.Address);
        using var _ = client;
        var referrers = new Referrers(client, _log.Write);
        var sbom = Sbom.MakeReproducible(Encoding.UTF8.GetBytes(CycloneDx), pushed.Digest, CommitTime);

        var attachedSbom = await referrers.AttachAsync(repository, pushed.Index, OciMediaTypes.CycloneDxJson, sbom, "cloudage.cdx.json");
        var attachedOther = await referrers.AttachAsync(repository, pushed.Index, OciMediaTypes.InTotoJson, "{}"u8.ToArray(), "provenance.intoto.json");

        // No OCI-Subject came back, but the registry's own list held each artifact once it was written: no tag to keep.
        Assert.DoesNotContain(api.Requests, r => r.StartsWith("PUT ", StringComparison.Ordinal) && r.Contains("/manifests/sha256-", StringComparison.Ordinal));
        Assert.Equal(404, (await PlatformImages.GetAsync(registry, $"{repository}/manifests/{Referrers.FallbackTag(pushed.Digest)}")).Status);
        var listed = await client.GetReferrersAsync(repository, pushed.Digest);
        Assert.NotNull(listed);
        Assert.Equal(new[] { attachedSbom.Manifest.Digest, attachedOther.Manifest.Digest }.Order(StringComparer.Ordinal), listed.Manifests.Select(m => m.Digest).Order(StringComparer.Ordinal));
        Assert.All(_log.Lines.Where(l => l.StartsWith("Attached", StringComparison.Ordinal)), l => Assert.DoesNotContain("referrers tag", l));
    }

    [IntegrationFact(Prerequisites)]
    public async Task A_next_page_on_another_origin_is_not_followed_so_the_credentials_stay_with_the_registry()
    {
        var registry = await fixture.RegistryAsync();
        await using var elsewhere = new FaultProxy(new Uri($"http://{registry.Address}/"));
        await using var api = await ReferrersApiProxy.StartAsync(registry.Address, pageSize: 1, linkOrigin: $"http://localhost:{elsewhere.Port}");
        var (client, repository, pushed) = await PushIndexAsync(registry, api.Address);
        using var _ = client;
        var referrers = new Referrers(client, _log.Write);
        await referrers.AttachAsync(repository, pushed.Index, OciMediaTypes.CycloneDxJson, Encoding.UTF8.GetBytes("{}"), "a.json");
        await referrers.AttachAsync(repository, pushed.Index, OciMediaTypes.InTotoJson, Encoding.UTF8.GetBytes("{\"a\":1}"), "b.json");

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.GetReferrersAsync(repository, pushed.Digest));

        Assert.Contains($"another origin (http://localhost:{elsewhere.Port})", error.Message);
        Assert.Equal(0, elsewhere.Requests);
        Assert.DoesNotContain(registry.Password, error.Message);
    }

    [IntegrationFact(Needs.Registry | Needs.Htpasswd)]
    public async Task A_plain_manifest_under_the_referrers_tag_is_no_referrers_when_listing_and_refused_before_any_write_when_attaching()
    {
        var registry = await fixture.RegistryAsync();
        using var client = Client(registry);
        var repository = "cloudage-reftag-" + Guid.NewGuid().ToString("N")[..8];
        var (manifest, index) = await PushSubjectAsync(client, repository);
        var tag = Referrers.FallbackTag(index.Digest);
        // Something that is not an index of referrers sits under the tag: here the platform manifest.
        await client.PutManifestAsync(repository, tag, OciMediaTypes.ImageManifest, await ContentAsync(client, repository, manifest));
        var referrers = new Referrers(client, _log.Write);
        var sbom = Encoding.UTF8.GetBytes("""{"bomFormat":"CycloneDX"}""");

        var listed = await referrers.ListAsync(repository, index.Digest);
        var error = await Assert.ThrowsAsync<ContainerException>(() => referrers.AttachAsync(repository, index, OciMediaTypes.CycloneDxJson, sbom, "cloudage.cdx.json"));

        Assert.Empty(listed);
        Assert.Contains(_log.Lines, l => l == $"Registry {registry.Address} answers the referrers tag {repository}:{tag} with a {OciMediaTypes.ImageManifest} ({manifest.Digest}), not an OCI image index of referrers: taken as no referrers.");
        Assert.StartsWith($"Registry {registry.Address} answers the referrers tag {repository}:{tag} with a {OciMediaTypes.ImageManifest} ({manifest.Digest}), not an OCI image index of referrers, so the {OciMediaTypes.CycloneDxJson} is not attached to {repository}@{index.Digest}", error.Message, StringComparison.Ordinal);
        Assert.Equal(manifest.Digest, await client.GetManifestDigestAsync(repository, tag));
        Assert.False(await client.BlobExistsAsync(repository, OciDescriptor.Sha256(sbom)));
    }

    [IntegrationFact(Needs.Registry | Needs.Htpasswd)]
    public async Task A_referrers_tag_that_answers_the_subject_itself_is_not_taken_for_its_referrers_nor_written_over()
    {
        var registry = await fixture.RegistryAsync();
        using var client = Client(registry);
        var repository = "cloudage-reftag-" + Guid.NewGuid().ToString("N")[..8];
        var (manifest, index) = await PushSubjectAsync(client, repository);
        var tag = Referrers.FallbackTag(index.Digest);
        // As GitLab's registry answers the tag sha256-<hex> (oras-go #1396): with the subject, an image index itself.
        await client.PutManifestAsync(repository, tag, OciMediaTypes.ImageIndex, await ContentAsync(client, repository, index));
        var referrers = new Referrers(client, _log.Write);

        var listed = await referrers.ListAsync(repository, index.Digest);
        var error = await Assert.ThrowsAsync<ContainerException>(() =>
            referrers.AttachAsync(repository, index, OciMediaTypes.InTotoJson, Encoding.UTF8.GetBytes("{}"), "provenance.intoto.json"));

        Assert.DoesNotContain(listed, m => m.Digest == manifest.Digest);
        Assert.Empty(listed);
        Assert.Contains($"with the subject {index.Digest} itself, not an OCI image index of referrers", error.Message, StringComparison.Ordinal);
        Assert.Contains($"the referrers tag {repository}:{tag}", error.Message, StringComparison.Ordinal);
        Assert.Equal(index.Digest, await client.GetManifestDigestAsync(repository, tag));
    }

    private static RegistryClient Client(RegistryServer registry) =>
        new(registry.Address, new RegistryCredentials(RegistryServer.User, registry.Password), new SecretMasker(), _ => { }, new RegistryClientOptions { Retry = PushFixture.FastRetries });

    // A subject without the engine: an image manifest with the empty config and no layers, and an index listing it.
    private static async Task<(OciDescriptor Manifest, OciDescriptor Index)> PushSubjectAsync(RegistryClient client, string repository)
    {
        var config = "{}"u8.ToArray();
        await client.UploadBlobAsync(repository, OciDescriptor.Sha256(config), () => new MemoryStream(config));
        var manifest = OciJson.Serialize(new OciManifest(OciDescriptor.Of(OciMediaTypes.Empty, config), []));
        await client.PutManifestAsync(repository, OciDescriptor.Sha256(manifest), OciMediaTypes.ImageManifest, manifest);
        var platform = OciDescriptor.Of(OciMediaTypes.ImageManifest, manifest) with { Platform = new OciPlatform("amd64", "linux") };
        var index = OciJson.Serialize(new OciIndex([platform]));
        await client.PutManifestAsync(repository, OciDescriptor.Sha256(index), OciMediaTypes.ImageIndex, index);
        return (OciDescriptor.Of(OciMediaTypes.ImageManifest, manifest), OciDescriptor.Of(OciMediaTypes.ImageIndex, index));
    }

    private static async Task<byte[]> ContentAsync(RegistryClient client, string repository, OciDescriptor descriptor) =>
        (await client.GetManifestAsync(repository, descriptor.Digest))!.Content;

    private async Task<(RegistryClient Client, string Repository, IndexPushResult Pushed)> PushIndexAsync(RegistryServer registry, string address)
    {
        var images = new PlatformImages(fixture.Docker);
        var repository = "cloudage-refapi-" + Guid.NewGuid().ToString("N")[..8];
        var client = new RegistryClient(address, new RegistryCredentials(RegistryServer.User, registry.Password), new SecretMasker(), _log.Write,
            new RegistryClientOptions { Retry = PushFixture.FastRetries });
        using var docker = DockerEngine.Connect(DockerCli.Endpoint);
        var pushed = await new IndexPusher(docker, DockerCli.Endpoint, client, _log.Write).PushAsync(new IndexPushRequest(
            [new(new OciPlatform("amd64", "linux"), await images.BuildAsync("amd64")), new(new OciPlatform("arm64", "linux"), await images.BuildAsync("arm64"))],
            address, repository, ["sha-0123abc"]));
        return (client, repository, pushed);
    }
}
