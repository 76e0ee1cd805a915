using System.Text.Json;
using System.Text.RegularExpressions;
using CloudAge.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CloudAge.Tools.Container.Tests.Fixtures;

/// <summary>
/// A loopback stand-in for the engine API calls a multi-platform push makes about one image (ping, inspect and export,
/// <c>GET /images/{name}/get</c>), for the export layouts the engine here (20.10) cannot write: engine 25's OCI layout
/// and the containerd image store's. Anything else is a 404 naming the path, as the engine answers an unknown image.
/// It keeps Docker Engine 29's API floor, the engine that exports the containerd layout by default: a path with an API
/// version below 1.44 is refused with its 400 (moby api/server/middleware/version.go, VersionMiddleware).
/// </summary>
public sealed partial class ExportingEngine : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ExportingEngine(WebApplication app) => _app = app;

    public Uri Endpoint => new($"tcp://{_app.Address()}");

    /// <param name="imageId">The ID inspect answers with and the export is asked for by.</param>
    /// <param name="tar">What the export answers.</param>
    public static async Task<ExportingEngine> StartAsync(string imageId, byte[] tar, string architecture = "amd64")
    {
        var inspect = JsonSerializer.SerializeToUtf8Bytes(new { Id = imageId, Architecture = architecture, Os = "linux", RepoDigests = Array.Empty<string>() });
        var app = await LoopbackWebApp.StartAsync(async context =>
        {
            var path = context.Request.Path.Value ?? "";
            if (OldVersion().Match(path) is { Success: true } old)
            {
                context.Response.StatusCode = 400;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(JsonSerializer.Serialize(new
                {
                    message = $"client version {old.Groups[1].Value} is too old. Minimum supported API version is 1.44, please upgrade your client to a newer version",
                }));
                return;
            }
            if (path.EndsWith("/_ping", StringComparison.Ordinal))
            {
                await context.Response.WriteAsync("OK");
            }
            else if (path.EndsWith($"/images/{imageId}/json", StringComparison.Ordinal))
            {
                context.Response.ContentType = "application/json";
                await context.Response.Body.WriteAsync(inspect);
            }
            else if (path.EndsWith($"/images/{imageId}/get", StringComparison.Ordinal))
            {
                context.Response.ContentType = "application/x-tar";
                await context.Response.Body.WriteAsync(tar);
            }
            else
            {
                context.Response.StatusCode = 404;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(JsonSerializer.Serialize(new { message = $"No such image: {path}" }));
            }
        });
        return new ExportingEngine(app);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    // A versioned path below 1.44: /v1.0/ to /v1.43/.
    [GeneratedRegex(@"^/v(1\.(?:[0-9]|[1-3][0-9]|4[0-3]))/")]
    private static partial Regex OldVersion();
}
