using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using CloudAge.Common.Text;
using CloudAge.Tools.Container.Oci;

namespace CloudAge.Tools.Container.Pushing;

/// <summary>
/// A local image as the engine exports it (<c>GET /images/{name}/get</c>, the tar <c>docker save</c> writes): its config
/// bytes, whose sha256 is the image id, and each layer uncompressed in a temporary folder, in the config's diff_ids order.
/// The engine's push can only push a tag; pushing by digest, into an index, needs the content itself.
/// </summary>
/// <remarks>
/// The tar has two layouts, whichever API version is asked for: engines before 25 write <c>&lt;id&gt;/layer.tar</c> and
/// <c>&lt;config hex&gt;.json</c>; engines 25 and later write an OCI image layout, config and layers as
/// <c>blobs/sha256/&lt;hex&gt;</c> (layers uncompressed, named by their diff id). Both name their files in
/// <c>manifest.json</c>, which the tar holds after the blobs, so every file is kept, keyed by its path, and
/// the manifest's paths are resolved through that map.
/// </remarks>
internal sealed class ImageExport : IDisposable
{
    private readonly string _directory;

    private ImageExport(string directory, byte[] config, IReadOnlyList<ExportedLayer> layers)
    {
        _directory = directory;
        Config = config;
        Layers = layers;
    }

    public byte[] Config { get; }

    public IReadOnlyList<ExportedLayer> Layers { get; }

    public static async Task<ImageExport> SaveAsync(Uri endpoint, string imageId, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("cloudage-export-").FullName;
        try
        {
            var files = new Dictionary<string, ExportedLayer>(StringComparer.Ordinal);
            var links = new Dictionary<string, string>(StringComparer.Ordinal);
            var saved = 0;
            using var engine = EngineHttp.Create(endpoint);
            using var response = await engine.GetAsync(new Uri(EngineHttp.BaseAddress(endpoint), $"images/{Uri.EscapeDataString(imageId)}/get"), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw new ContainerException($"The Docker engine at {endpoint} answered HTTP {(int)response.StatusCode} to exporting image {imageId}: {PeerText.OneLine(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false))}");
            await using (var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false))
            {
                using var reader = new TarReader(stream);
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    var name = entry.Name.TrimStart('.', '/');
                    // Engines before 25 write a layer that recurs (the same diff id) once, later copies a link to it (../<id>/layer.tar).
                    if (entry.EntryType is TarEntryType.SymbolicLink)
                        links[name] = Path.GetFullPath("/" + Path.GetDirectoryName(name) + "/" + entry.LinkName).TrimStart('/');
                    else if (entry.DataStream is not null)
                        files[name] = await SaveFileAsync(entry.DataStream, Path.Combine(directory, $"{++saved}.blob"), cancellationToken).ConfigureAwait(false);
                }
            }
            var manifest = (files.TryGetValue("manifest.json", out var manifestFile)
                    ? JsonSerializer.Deserialize<List<SaveManifest>>(await File.ReadAllBytesAsync(manifestFile.Path, cancellationToken).ConfigureAwait(false))?.SingleOrDefault()
                    : null)
                ?? throw new ContainerException($"The engine's export of image {imageId} has no manifest.json; is the engine a Docker engine?");
            var configFile = Named(manifest.Config)
                ?? throw new ContainerException($"The engine's export of image {imageId} lacks its config {manifest.Config}.");
            var config = await File.ReadAllBytesAsync(configFile.Path, cancellationToken).ConfigureAwait(false);
            var layers = manifest.Layers.Select(path => Named(path)
                ?? throw new ContainerException($"The engine's export of image {imageId} lacks the layer {path}.")).ToList();
            return new ImageExport(directory, config, layers);

            ExportedLayer? Named(string path) => files.GetValueOrDefault(links.GetValueOrDefault(path, path));
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>Copies one file of the export to disk, hashing it on the way: for a layer (an uncompressed tar) that hash is its diff id.</summary>
    private static async Task<ExportedLayer> SaveFileAsync(Stream data, string path, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous);
        var buffer = new byte[1 << 20];
        int read;
        while ((read = await data.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }
        return new ExportedLayer("sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset()), path);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed record SaveManifest(string Config, List<string> Layers);
}

/// <summary>
/// Plain HTTP to the engine for the image export: Docker.DotNet's chunked stream reader ends the export early
/// (EndOfStreamException in ChunkedReadStream on multi-megabyte exports), .NET's own HTTP stack reads it whole.
/// </summary>
internal static class EngineHttp
{
    public static HttpClient Create(Uri endpoint)
    {
        var handler = new SocketsHttpHandler();
        if (endpoint.Scheme == "unix")
        {
            handler.ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(endpoint.LocalPath), cancellationToken).ConfigureAwait(false);
                    return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }
        return new HttpClient(handler) { Timeout = TimeSpan.FromMinutes(10) };
    }

    /// <summary>API 1.41, the version of the engine 20.10 the rest of the code speaks too.</summary>
    public static Uri BaseAddress(Uri endpoint) => endpoint.Scheme == "unix"
        ? new Uri("http://docker/v1.41/")
        : new Uri($"{(endpoint.Scheme is "https" ? "https" : "http")}://{endpoint.Authority}/v1.41/");
}

/// <summary>One uncompressed layer: its diff id (sha256 of the tar) and where it lies.</summary>
internal sealed record ExportedLayer(string DiffId, string Path)
{
    /// <summary>
    /// Gzips the layer next to itself. .NET's gzip writes no time or name into the header, so the same layer always
    /// compresses to the same bytes on one machine; that keeps a re-push's digests, and so the index digest, unchanged.
    /// </summary>
    public async Task<OciDescriptor> CompressAsync(CancellationToken cancellationToken)
    {
        var target = Path + ".gz";
        await using (var source = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan))
        await using (var file = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
            await source.CopyToAsync(gzip, 1 << 20, cancellationToken).ConfigureAwait(false);
        await using var compressed = File.OpenRead(target);
        var digest = "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(compressed, cancellationToken).ConfigureAwait(false));
        return new OciDescriptor(OciMediaTypes.LayerGzip, digest, compressed.Length);
    }

    public string CompressedPath => Path + ".gz";
}
