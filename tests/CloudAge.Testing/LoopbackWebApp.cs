using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CloudAge.Testing;

/// <summary>The Kestrel app every loopback stand-in (fault proxy, referrers API) runs on: a free port, no logs, no body limit.</summary>
public static class LoopbackWebApp
{
    public static WebApplication Create(RequestDelegate handle)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            o.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        app.Run(handle);
        return app;
    }

    /// <summary>Creates the app and starts it, for a stand-in that is only a handler (a fake registry, a token service).</summary>
    public static async Task<WebApplication> StartAsync(RequestDelegate handle)
    {
        var app = Create(handle);
        await app.StartAsync();
        return app;
    }

    /// <summary>Where a started app listens, as <c>127.0.0.1:port</c>: the way a registry is named.</summary>
    public static string Address(this WebApplication app) => $"127.0.0.1:{new Uri(app.Urls.First()).Port}";
}
