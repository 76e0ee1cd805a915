using System.Net.Http.Headers;
using System.Text;
using CloudAge.Common.Resilience;

namespace CloudAge.Tools.Container.Tests.Fixtures;

/// <summary>
/// One registry (htpasswd auth) and two small, different local images for the push tests of a class, made on first
/// use so a machine without Docker only skips; everything is removed at the end.
/// </summary>
public sealed class PushFixture : IAsyncLifetime, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private RegistryServer? _registry;
    private (string A, string B)? _images;
    private string? _baseImage;

    public DockerCli Docker { get; } = new();

    public static RetryPolicy FastRetries { get; } = new() { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(400), AttemptTimeout = TimeSpan.FromSeconds(60) };

    public async Task<RegistryServer> RegistryAsync()
    {
        await _gate.WaitAsync();
        try
        {
            return _registry ??= await RegistryServer.StartAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Image ids of two images on the same tiny base that differ in one random file.</summary>
    public async Task<(string A, string B)> ImagesAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_images is { } made)
                return made;
            _baseImage ??= await Docker.MakeBaseImageAsync();
            _images = (await BuildAsync(_baseImage), await BuildAsync(_baseImage));
            return _images.Value;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// A new image whose payload layer no registry has seen: the engine mounts layers it already pushed to another
    /// repository of the same registry, so tests counting uploaded bytes need their own.
    /// </summary>
    public async Task<string> FreshImageAsync()
    {
        string baseImage;
        await _gate.WaitAsync();
        try
        {
            _baseImage ??= await Docker.MakeBaseImageAsync();
            baseImage = _baseImage;
        }
        finally
        {
            _gate.Release();
        }
        return await BuildAsync(baseImage);
    }

    private async Task<string> BuildAsync(string baseImage)
    {
        using var context = new TempDirectory();
        context.Write("Dockerfile", $"FROM {baseImage}\nCOPY payload.bin /payload.bin\n");
        var payload = new byte[256 * 1024];
        Random.Shared.NextBytes(payload);
        File.WriteAllBytes(Path.Combine(context.Path, "payload.bin"), payload);
        var reference = Docker.Track($"cloudage-test-push-{Guid.NewGuid():N}:src");
        await Docker.RunAsync("build", "-q", "-t", reference, context.Path);
        return Docker.Track(await Docker.RunAsync("image", "inspect", "--format", "{{.Id}}", reference));
    }

    /// <summary>The registry's digest for a tag, read with a plain HTTP client (not the code under test).</summary>
    public static async Task<string?> RegistryDigestAsync(RegistryServer registry, string repository, string tag)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Head, $"http://{registry.Address}/v2/{repository}/manifests/{tag}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{RegistryServer.User}:{registry.Password}")));
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        using var response = await http.SendAsync(request);
        return response.IsSuccessStatusCode ? response.Headers.GetValues("Docker-Content-Digest").Single() : null;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Docker.DisposeAsync();
        if (_registry is not null)
            await _registry.DisposeAsync();
    }

    public void Dispose() => _gate.Dispose();
}
