using CloudAge.Tools.Container.Pushing;
using CloudAge.Tools.Container.Tests.Fixtures;
using Microsoft.AspNetCore.Http;

namespace CloudAge.Tools.Container.Tests.Pushing;

/// <summary>
/// The engine's export call, against a loopback stand-in for the engine's API: the two tar layouts engines write, and a
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
        Assert.Equal(image.DiffIds, legacy.Layers.Select(l => l.DiffId));
        Assert.Equal(legacy.Config, oci.Config);
        Assert.Equal(legacy.Layers.Select(l => l.DiffId), oci.Layers.Select(l => l.DiffId));
        foreach (var layer in oci.Layers)
            Assert.Equal(image.LayerBytes(layer.DiffId), await File.ReadAllBytesAsync(layer.Path));
        // What the push does next with each layer: gzip it; the same uncompressed tar gives the same blob.
        Assert.Equal((await legacy.Layers[1].CompressAsync(CancellationToken.None)).Digest, (await oci.Layers[1].CompressAsync(CancellationToken.None)).Digest);
    }

    private static async Task<ImageExport> ExportAsync(string imageId, byte[] tar)
    {
        await using var engine = await LoopbackWebApp.StartAsync(async context =>
        {
            if (context.Request.Path != $"/v1.41/images/{imageId}/get")
            {
                context.Response.StatusCode = 404;
                await context.Response.WriteAsync($"no such image: {context.Request.Path}");
                return;
            }
            context.Response.ContentType = "application/x-tar";
            await context.Response.Body.WriteAsync(tar);
        });
        return await ImageExport.SaveAsync(new Uri($"tcp://{engine.Address()}"), imageId, CancellationToken.None);
    }
}
