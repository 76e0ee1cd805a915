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
}
