using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using CloudAge.Common.Text;
using CloudAge.Tools.Container.Oci;

namespace CloudAge.Tools.Container.Pushing;

/// <summary>
/// A local image as the engine exports it (<c>GET /images/{name}/get</c>, the tar <c>docker save</c> writes): its config
/// bytes and each layer's file in a temporary folder, in the config's diff_ids order. The engine's push can only push a
/// tag; pushing by digest, into an index, needs the content itself.
/// </summary>
/// <remarks>
/// The tar has three layouts, whichever API version is asked for:
/// <list type="bullet">
/// <item>engines before 25 write <c>&lt;id&gt;/layer.tar</c> and <c>&lt;config hex&gt;.json</c>;</item>
/// <item>engines 25 and later write an OCI image layout, config and layers as <c>blobs/sha256/&lt;hex&gt;</c>, layers
/// uncompressed and named by their diff id (moby image/tarexport/save.go);</item>
/// <item>an engine with the containerd image store (the default of fresh Docker Engine 29 installs and of Docker Desktop)
/// exports its content store as it is (containerd core/images/archive/exporter.go, called from moby
/// daemon/containerd/image_exporter.go): layers stay compressed as stored (gzip for the steps it built, whatever the
/// registry served for pulled ones) and are named by that compressed digest, and the image's ID is its manifest's (or
/// index's) digest, not its config's.</item>
/// </list>
/// All three name their files in <c>manifest.json</c>, which the tar holds after the blobs, so every file is kept,
/// keyed by its path, and the manifest's paths are resolved through that map.
/// </remarks>
internal sealed class ImageExport : IDisposable
{
    private readonly string _directory;
    private readonly IReadOnlySet<string> _identities;

    private ImageExport(string directory, byte[] config, IReadOnlyList<ExportedLayer> layers, IReadOnlySet<string> identities)
    {
        _directory = directory;
        Config = config;
        Layers = layers;
        _identities = identities;
    }

    public byte[] Config { get; }

    public IReadOnlyList<ExportedLayer> Layers { get; }

    /// <summary>
    /// True when the engine may name this export's image <paramref name="imageId"/>: the config's digest (the engine's
    /// own image store), or in an OCI layout the digest of the manifest holding this config or of an index leading to it
    /// (the containerd image store). False means the export is of another image or damaged.
    /// </summary>
    public bool Identifies(string imageId) => _identities.Contains(imageId);

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
            var configDigest = OciDescriptor.Sha256(config);
            var identities = new HashSet<string>(StringComparer.Ordinal) { configDigest };
            if (files.TryGetValue("index.json", out var indexFile))
                await OciLayout.AddIdentitiesAsync(indexFile.Path, digest => files.GetValueOrDefault("blobs/sha256/" + digest[7..]), configDigest, identities, cancellationToken).ConfigureAwait(false);
            return new ImageExport(directory, config, layers, identities);

            ExportedLayer? Named(string path) => files.GetValueOrDefault(links.GetValueOrDefault(path, path));
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// Copies one file of the export to disk, hashing it on the way (for an uncompressed layer that hash is its diff id,
    /// for a compressed one its blob digest) and noting whether it starts as a gzip or zstd stream does.
    /// </summary>
    private static async Task<ExportedLayer> SaveFileAsync(Stream data, string path, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous);
        var buffer = new byte[1 << 20];
        var head = new byte[4];
        long size = 0;
        int read;
        while ((read = await data.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (size < head.Length)
                buffer.AsSpan(0, (int)Math.Min(read, head.Length - size)).CopyTo(head.AsSpan((int)size));
            size += read;
            hash.AppendData(buffer, 0, read);
            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }
        return new ExportedLayer("sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset()), path, size, LayerCompression.Sniff(head.AsSpan(0, (int)Math.Min(size, head.Length))));
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

    /// <summary>
    /// No API version in the path, as Docker.DotNet sends every other call: each engine answers in its own current
    /// version. A pinned old version breaks on newer engines: Docker Engine 29 refuses any below 1.44 ("client version
    /// 1.41 is too old", moby api/server/middleware/version.go), while the Debian engine 20.10 here knows none above 1.41.
    /// </summary>
    public static Uri BaseAddress(Uri endpoint) => endpoint.Scheme == "unix"
        ? new Uri("http://docker/")
        : new Uri($"{(endpoint.Scheme is "https" ? "https" : "http")}://{endpoint.Authority}/");
}

/// <summary>
/// One layer file of an export: <see cref="Digest"/> is the sha256 of the file as exported (an uncompressed layer's diff
/// id, or a compressed layer's blob digest), <see cref="CompressedAs"/> the OCI media type of a file that is already
/// compressed (null for an uncompressed tar).
/// </summary>
internal sealed record ExportedLayer(string Digest, string Path, long Size, string? CompressedAs)
{
    /// <summary>
    /// The layer as pushed. An uncompressed one is gzipped next to itself; .NET's gzip writes no time or name into the
    /// header, so the same layer always compresses to the same bytes on one machine, which keeps a re-push's digests, and
    /// so the index digest, unchanged. A compressed one is pushed as exported: compressing it again would give a blob
    /// whose content is not the tar its diff id names.
    /// </summary>
    public async Task<OciDescriptor> CompressAsync(CancellationToken cancellationToken)
    {
        if (CompressedAs is { } mediaType)
            return new OciDescriptor(mediaType, Digest, Size);
        var target = CompressedPath;
        await using (var source = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan))
        await using (var file = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
            await source.CopyToAsync(gzip, 1 << 20, cancellationToken).ConfigureAwait(false);
        await using var compressed = File.OpenRead(target);
        var digest = "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(compressed, cancellationToken).ConfigureAwait(false));
        return new OciDescriptor(OciMediaTypes.LayerGzip, digest, compressed.Length);
    }

    /// <summary>The file <see cref="CompressAsync"/> describes: the gzip it wrote, or the exported file itself when that was compressed.</summary>
    public string CompressedPath => CompressedAs is null ? Path + ".gz" : Path;
}
