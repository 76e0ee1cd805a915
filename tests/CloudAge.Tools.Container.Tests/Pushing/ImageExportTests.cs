using CloudAge.Tools.Container.Oci;
using CloudAge.Tools.Container.Pushing;
using CloudAge.Tools.Container.Tests.Fixtures;
using Microsoft.AspNetCore.Http;

namespace CloudAge.Tools.Container.Tests.Pushing;

/// <summary>
/// The engine's export call, against a loopback stand-in for the engine's API: the three tar layouts engines write, and a
/// failure. The real engine's export (the legacy layout of engine 20.10) is exercised by the IndexPusher tests.
/// </summary>
public sealed class ImageExportTests
{
    [Fact]
    public async Task An_engine_error_body_is_quoted_on_one_bounded_line()
    {
        await using var engine = await LoopbackWebApp.StartAsync(async context =>
        {
            context.Response.StatusCode = 500;
            await context.Response.WriteAsync("export failed\n::error::forged by the engine\n" + new string('x', 5000));
        });

        var error = await Assert.ThrowsAsync<ContainerException>(() => ImageExport.SaveAsync(new Uri($"tcp://{engine.Address()}"), "sha256:abc", CancellationToken.None));

        Assert.StartsWith($"The Docker engine at tcp://{engine.Address()}/ answered HTTP 500 to exporting image sha256:abc: export failed\\n::error::forged", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.True(error.Message.Length < 500, $"a message of {error.Message.Length} characters");
    }

    [Fact]
    public async Task An_engine_25_export_in_the_OCI_layout_yields_the_config_and_layers_of_the_legacy_layout()
    {
        var image = new SavedImageTars();

        using var legacy = await ExportAsync(image.ImageId, image.Legacy());
        using var oci = await ExportAsync(image.ImageId, image.Oci());

        Assert.Equal(image.Config, legacy.Config);
        Assert.Equal(image.DiffIds, legacy.Layers.Select(l => l.Digest));
        Assert.Equal(legacy.Config, oci.Config);
        Assert.Equal(legacy.Layers.Select(l => l.Digest), oci.Layers.Select(l => l.Digest));
        Assert.All(legacy.Layers.Concat(oci.Layers), l => Assert.Null(l.CompressedAs));
        foreach (var layer in oci.Layers)
            Assert.Equal(image.LayerBytes(layer.Digest), await File.ReadAllBytesAsync(layer.Path));
        // Both engines name the image by its config's digest.
        Assert.True(legacy.Identifies(image.ImageId));
        Assert.True(oci.Identifies(image.ImageId));
        // What the push does next with each layer: gzip it; the same uncompressed tar gives the same blob.
        var gzipped = await oci.Layers[1].CompressAsync(CancellationToken.None);
        Assert.Equal((await legacy.Layers[1].CompressAsync(CancellationToken.None)).Digest, gzipped.Digest);
        Assert.Equal(OciMediaTypes.LayerGzip, gzipped.MediaType);
        Assert.Equal(image.DiffIds[1], OciDescriptor.Sha256(Gunzip(await File.ReadAllBytesAsync(oci.Layers[1].CompressedPath))));
    }

    [Fact]
    public async Task A_containerd_store_export_keeps_its_gzip_layers_as_they_are_and_is_named_by_its_manifest()
    {
        var image = new SavedImageTars();
        var (tar, imageId, manifestDigest) = image.Containerd();

        using var export = await ExportAsync(imageId, tar);

        Assert.Equal(manifestDigest, imageId);
        Assert.True(export.Identifies(manifestDigest));
        Assert.False(export.Identifies("sha256:" + new string('0', 64)));
        Assert.Equal(image.Config, export.Config);
        Assert.Equal(image.GzippedLayers.Select(l => OciDescriptor.Sha256(l)), export.Layers.Select(l => l.Digest));
        for (var i = 0; i < export.Layers.Count; i++)
        {
            var layer = export.Layers[i];
            Assert.Equal(OciMediaTypes.LayerGzip, layer.CompressedAs);
            // Pushed as exported, not gzipped a second time: the blob still unpacks to the tar its diff id names.
            var pushed = await layer.CompressAsync(CancellationToken.None);
            Assert.Equal(new OciDescriptor(OciMediaTypes.LayerGzip, layer.Digest, image.GzippedLayers[i].Length), pushed);
            var bytes = await File.ReadAllBytesAsync(layer.CompressedPath);
            Assert.Equal(image.GzippedLayers[i], bytes);
            Assert.Equal(image.DiffIds[i], OciDescriptor.Sha256(Gunzip(bytes)));
        }
    }

    [Fact]
    public async Task A_containerd_store_image_that_is_an_index_is_named_by_the_index_even_with_other_platforms_left_out()
    {
        var image = new SavedImageTars();
        var (tar, imageId, manifestDigest) = image.Containerd(inIndex: true);

        using var export = await ExportAsync(imageId, tar);

        Assert.NotEqual(manifestDigest, imageId);
        Assert.True(export.Identifies(imageId));
        Assert.True(export.Identifies(manifestDigest));
        Assert.Equal(image.Config, export.Config);
        Assert.Equal(3, export.Layers.Count);
    }

    [Fact]
    public async Task A_blob_whose_bytes_do_not_match_its_name_does_not_name_the_image()
    {
        var image = new SavedImageTars();
        var (tar, imageId, _) = image.Containerd(inIndex: true);
        // The index blob's bytes changed after it was named: the export is damaged there, and it is not followed.
        var damaged = Replace(tar, "\"arm64\"", "\"arm65\"");

        using var export = await ExportAsync(imageId, damaged);

        Assert.False(export.Identifies(imageId));
    }

    private static byte[] Replace(byte[] data, string from, string to)
    {
        var (a, b) = (System.Text.Encoding.UTF8.GetBytes(from), System.Text.Encoding.UTF8.GetBytes(to));
        var at = data.AsSpan().IndexOf(a);
        Assert.True(at >= 0, $"'{from}' is not in the tar");
        var copy = data.ToArray();
        b.CopyTo(copy, at);
        return copy;
    }

    private static byte[] Gunzip(byte[] data)
    {
        using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(data), System.IO.Compression.CompressionMode.Decompress);
        var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }

    private static async Task<ImageExport> ExportAsync(string imageId, byte[] tar)
    {
        await using var engine = await ExportingEngine.StartAsync(imageId, tar);
        return await ImageExport.SaveAsync(engine.Endpoint, imageId, CancellationToken.None);
    }
}
