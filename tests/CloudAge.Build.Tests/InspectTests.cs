using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using CloudAge.Build.Tests.Fixtures;
using CloudAge.Common.Secrets;
using CloudAge.Testing;
using CloudAge.Tools.Container.Attestations;
using CloudAge.Tools.Container.Oci;
using CloudAge.Tools.Container.Pushing;
using CloudAge.Tools.Container.Registry;

namespace CloudAge.Build.Tests;

/// <summary>Inspect against the real distribution 2.8 registry (no auth), with artifacts attached through the referrers tag.</summary>
public sealed class InspectTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private Process? _registry;

    [IntegrationFact(Needs.Registry)]
    public async Task An_in_toto_statement_that_is_not_SLSA_provenance_is_named_and_does_not_fail_Inspect()
    {
        var port = StartRegistry();
        var registry = $"127.0.0.1:{port}";
        const string repository = "cloudage-inspect";
        using var client = new RegistryClient(registry, null, new SecretMasker(), _ => { });
        var subject = await PushSubjectAsync(client, repository);
        var referrers = new Referrers(client, _ => { });
        var provenance = Provenance.Create(new ProvenanceFacts($"{registry}/{repository}", subject.Digest, "https://github.com/org/cloudage", new string('c', 40),
            "./build.sh PushEcr --platforms linux/amd64", "urn:cloudage:builder:local", new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero)));
        // What `docker scout attestation add` attaches: artifactType application/vnd.in-toto+json for every attestation
        // (aquasecurity/trivy pkg/oci/artifact.go, InTotoArtifactType), here an in-toto Statement v1 with an OpenVEX predicate.
        var vex = Encoding.UTF8.GetBytes($$$"""
            {"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"{{{registry}}}/{{{repository}}}","digest":{"sha256":"{{{subject.Digest[7..]}}}"}}],
             "predicateType":"https://openvex.dev/ns/v0.2.0","predicate":{"@context":"https://openvex.dev/ns/v0.2.0","statements":[]}}
            """);
        await referrers.AttachAsync(repository, subject, OciMediaTypes.InTotoJson, vex, "vex.intoto.json");
        await referrers.AttachAsync(repository, subject, OciMediaTypes.InTotoJson, provenance, "provenance.intoto.json");

        var (exitCode, output) = ProcessHelper.Run("dotnet", $"{BuildProgram.Dll()} Inspect --no-logo --image {registry}/{repository}@{subject.Digest}",
            Prerequisites.RepositoryRoot(), new Dictionary<string, string> { ["NO_COLOR"] = "1" });

        Assert.True(exitCode == 0, output);
        Assert.Contains($"SLSA v1 for {registry}/{repository}@{subject.Digest}", output);
        Assert.Contains("predicate https://openvex.dev/ns/v0.2.0, not SLSA provenance v1", output);
    }

    // A one-layer OCI image manifest (empty config) stands for the pushed image: Inspect reads only its referrers.
    private static async Task<OciDescriptor> PushSubjectAsync(RegistryClient client, string repository)
    {
        var config = "{}"u8.ToArray();
        var layer = "layer"u8.ToArray();
        var configDescriptor = OciDescriptor.Of(OciMediaTypes.Empty, config);
        var layerDescriptor = OciDescriptor.Of("application/vnd.oci.image.layer.v1.tar", layer);
        await client.UploadBlobAsync(repository, configDescriptor.Digest, () => new MemoryStream(config));
        await client.UploadBlobAsync(repository, layerDescriptor.Digest, () => new MemoryStream(layer));
        var manifest = OciJson.Serialize(new OciManifest(configDescriptor, [layerDescriptor]));
        var descriptor = OciDescriptor.Of(OciMediaTypes.ImageManifest, manifest);
        await client.PutManifestAsync(repository, "v1", OciMediaTypes.ImageManifest, manifest);
        return descriptor;
    }

    private int StartRegistry()
    {
        var port = FreePort.Next();
        var config = Path.Combine(_directory.Path, "config.yml");
        File.WriteAllText(config, $"""
            version: 0.1
            storage:
              filesystem:
                rootdirectory: {Path.Combine(_directory.Path, "data")}
            http:
              addr: 127.0.0.1:{port}
            """);
        _registry = Process.Start(new ProcessStartInfo("docker-registry", $"serve {config}") { RedirectStandardOutput = true, RedirectStandardError = true })!;
        _registry.OutputDataReceived += (_, _) => { };
        _registry.ErrorDataReceived += (_, _) => { };
        _registry.BeginOutputReadLine();
        _registry.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect("127.0.0.1", port);
                return port;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
        }
    }

    public void Dispose()
    {
        if (_registry is { HasExited: false })
            _registry.Kill(entireProcessTree: true);
        _registry?.Dispose();
        _directory.Dispose();
    }
}
