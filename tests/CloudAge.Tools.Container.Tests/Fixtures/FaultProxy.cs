using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CloudAge.Tools.Container.Tests.Fixtures;

/// <summary>
/// A loopback HTTP proxy in front of the registry that answers the first N requests matching a rule with 503
/// (as a registry behind an overloaded load balancer does) and forwards everything else unchanged, Host included,
/// so the registry's upload locations point back through the proxy. The Docker engine treats 127.0.0.0/8 as an
/// insecure (plain HTTP) registry, so <c>127.0.0.1:&lt;proxy port&gt;/name:tag</c> pushes through it.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None });
    private readonly Func<HttpRequest, bool> _fails;
    private int _failuresLeft;
    private int _failuresServed;

    private FaultProxy(string upstream, Func<HttpRequest, bool> fails, int failures)
    {
        _fails = fails;
        _failuresLeft = failures;
        Port = Ports.Free();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, Port);
            o.Limits.MaxRequestBodySize = null;
        });
        _app = builder.Build();
        _app.Run(context => HandleAsync(context, upstream));
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    /// <summary>How many requests got an injected 503.</summary>
    public int FailuresServed => Volatile.Read(ref _failuresServed);

    public static async Task<FaultProxy> StartAsync(string upstream, Func<HttpRequest, bool> fails, int failures)
    {
        var proxy = new FaultProxy(upstream, fails, failures);
        await proxy._app.StartAsync();
        return proxy;
    }

    /// <summary>The engine's manifest upload: failing it fails a push without the engine's own (slow) layer retries.</summary>
    public static bool ManifestPut(HttpRequest request) =>
        request.Method == "PUT" && request.Path.Value!.Contains("/manifests/", StringComparison.Ordinal);

    private async Task HandleAsync(HttpContext context, string upstream)
    {
        if (_fails(context.Request) && Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            Interlocked.Increment(ref _failuresServed);
            await context.Request.Body.CopyToAsync(Stream.Null);
            context.Response.StatusCode = 503;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"errors":[{"code":"UNAVAILABLE","message":"injected by the test proxy"}]}""");
            return;
        }
        var target = new Uri($"http://{upstream}{context.Request.Path}{context.Request.QueryString}");
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), target);
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
            request.Content = new StreamContent(context.Request.Body);
        foreach (var (name, values) in context.Request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                continue;
            if (!request.Headers.TryAddWithoutValidation(name, values.ToArray()))
                request.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
        }
        request.Headers.Host = context.Request.Host.Value;
        using var response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                context.Response.Headers[name] = values.ToArray();
        }
        if (context.Request.Method != "HEAD")
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
