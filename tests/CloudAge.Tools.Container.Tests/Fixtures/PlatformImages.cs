using System.Formats.Tar;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CloudAge.Testing;
using CloudAge.Tools.Container.Building;

namespace CloudAge.Tools.Container.Tests.Fixtures;

/// <summary>
/// Tiny base images for linux/amd64 and linux/arm64 (one text file each) loaded from a docker-save layout whose config
/// names the platform (docker import always records the engine's own), and images built on them through the engine
/// API's platform parameter; plus a plain HTTP reader of the registry (not the code under test).
/// </summary>
public sealed class PlatformImages(DockerCli docker)
{
    private readonly Dictionary<string, string> _bases = new(StringComparer.Ordinal);

    public async Task<string> BaseImageAsync(string architecture)
    {
        lock (_bases)
        {
            if (_bases.TryGetValue(architecture, out var made))
                return made;
        }
        var reference = docker.Track($"cloudage-test-platform-base:{Guid.NewGuid():N}-{architecture}");
        using var directory = new TempDirectory();
        var layer = new MemoryStream();
        await using (var writer = new TarWriter(layer, leaveOpen: true))
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "base.txt") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes($"base {architecture}\n")), Mode = (UnixFileMode)0b110_100_100 });
        var layerBytes = layer.ToArray();
        var config = JsonSerializer.SerializeToUtf8Bytes(new
        {
            architecture,
            os = "linux",
            created = "1970-01-01T00:00:00Z",
            config = new { Env = new[] { "PATH=/bin" } },
            rootfs = new { type = "layers", diff_ids = new[] { "sha256:" + Convert.ToHexStringLower(SHA256.HashData(layerBytes)) } },
        });
        var configName = Convert.ToHexStringLower(SHA256.HashData(config)) + ".json";
        var tar = Path.Combine(directory.Path, "image.tar");
        await using (var file = File.Create(tar))
        await using (var writer = new TarWriter(file))
        {
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "layer/layer.tar") { DataStream = new MemoryStream(layerBytes) });
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, configName) { DataStream = new MemoryStream(config) });
            var manifest = JsonSerializer.SerializeToUtf8Bytes(new[] { new { Config = configName, RepoTags = new[] { reference }, Layers = new[] { "layer/layer.tar" } } });
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "manifest.json") { DataStream = new MemoryStream(manifest) });
        }
        await docker.RunAsync("load", "-q", "-i", tar);
        lock (_bases)
            _bases[architecture] = reference;
        return reference;
    }

    /// <summary>Builds a small image for <paramref name="architecture"/> through DockerBuilder with the engine's platform parameter; a random payload makes its layers new to every registry.</summary>
    public async Task<string> BuildAsync(string architecture, int payloadBytes = 128 * 1024)
    {
        var baseImage = await BaseImageAsync(architecture);
        using var context = new TempDirectory();
        context.Write("Dockerfile", "ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nCOPY payload.bin /payload.bin\n");
        var payload = new byte[payloadBytes];
        Random.Shared.NextBytes(payload);
        File.WriteAllBytes(Path.Combine(context.Path, "payload.bin"), payload);
        var reference = docker.Track($"cloudage-test-platform-{Guid.NewGuid():N}:{architecture}");
        using var client = DockerEngine.Connect(DockerCli.Endpoint);
        var result = await new DockerBuilder(client, DockerCli.Endpoint, _ => { }).BuildAsync(new ImageBuildRequest(context.Path, [reference],
            new ImageMetadata("1.0.0", new string('a', 40), "https://example.com/repo", new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)))
        {
            BaseImage = baseImage,
            Platform = $"linux/{architecture}",
        });
        return docker.Track(result.ImageId);
    }

    /// <summary>GET of a manifest (any type) or blob with a plain HTTP client: (status, content type, body).</summary>
    public static async Task<(int Status, string? ContentType, byte[] Body)> GetAsync(RegistryServer registry, string path)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{registry.Address}/v2/{path}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{RegistryServer.User}:{registry.Password}")));
        foreach (var type in new[] { "application/vnd.oci.image.index.v1+json", "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json" })
            request.Headers.Accept.ParseAdd(type);
        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsByteArrayAsync());
    }
}
