using CloudAge.Tools.Container.Pushing;
using Microsoft.AspNetCore.Http;

namespace CloudAge.Tools.Container.Tests.Pushing;

/// <summary>The engine's export call when it fails: a loopback stand-in for the engine's API.</summary>
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
}
