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
}
