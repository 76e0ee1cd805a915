using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CloudAge.Testing;

/// <summary>What <see cref="FaultProxy"/> does with one request.</summary>
public enum Fault
{
    /// <summary>Forwards this request unchanged (to place faults after a success).</summary>
    Pass,
    /// <summary>HTTP 400 with <c>__type: ThrottlingException</c>, as ECR throttles.</summary>
    Throttle,
    /// <summary>HTTP 503 with an HTML body, as a load balancer in front of a service answers.</summary>
    ServiceUnavailable,
    /// <summary>HTTP 503 with a registry error body (<c>UNAVAILABLE</c>), as a registry behind an overloaded load balancer answers.</summary>
    RegistryUnavailable,
    /// <summary>
    /// HTTP 429 <c>TOOMANYREQUESTS</c> with <c>Retry-After: 2</c>, as a rate-limited registry answers (distribution-spec,
    /// "Error Codes": a 429 SHOULD carry Retry-After).
    /// </summary>
    TooManyRequests,
    /// <summary>HTTP 429 with <c>Retry-After: 3600</c>, as Docker Hub answers a client over its pull limit.</summary>
    TooManyRequestsForAnHour,
    /// <summary>Closes the connection without an answer.</summary>
    Drop,
    /// <summary>Answers nothing for 10 seconds (longer than the tests' per-try timeout).</summary>
    Hang,
    /// <summary>
    /// Takes the request and then neither reads its body nor answers until the client gives up (or the proxy stops),
    /// as a registry or middlebox that stops taking an upload does: the sender's socket buffers fill and no byte moves.
    /// </summary>
    Stall,
    /// <summary>
    /// Passes the request on with the first <see cref="FaultProxy.CutAfter"/> bytes of its body, gives the server a moment
    /// to take them, then drops both connections, as a connection reset halfway through an upload does: the server keeps
    /// what it got, the client gets no answer.
    /// </summary>
    Cut,
}

/// <summary>
/// A loopback HTTP proxy in front of a real server (registry, moto) that answers the requests matching a rule with
/// scripted faults, in order, and forwards everything else unchanged, Host included, so a registry's upload
/// locations point back through the proxy. The Docker engine treats 127.0.0.0/8 as an insecure (plain HTTP)
/// registry, so <c>127.0.0.1:&lt;proxy port&gt;/name:tag</c> pushes through it. Every answer closes the connection.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None });
    private readonly Func<HttpRequest, bool> _matches;
    private readonly Fault[] _script;
    private int _next = -1;
    private int _requests;
    private int _failuresServed;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<string> _seen = new();

    private FaultProxy(string upstream, Func<HttpRequest, bool> matches, Fault[] script)
    {
        _matches = matches;
        _script = script;
        _app = LoopbackWebApp.Create(context => HandleAsync(context, upstream));
    }

    /// <summary>Every request takes the next fault of <paramref name="script"/>; once it is used up, requests pass.</summary>
    public FaultProxy(Uri target, params Fault[] script)
        : this(target.Authority, _ => true, script) =>
        _app.StartAsync().GetAwaiter().GetResult();

    /// <summary>The first <paramref name="failures"/> requests that <paramref name="fails"/> matches get a registry 503.</summary>
    public static async Task<FaultProxy> StartAsync(string upstream, Func<HttpRequest, bool> fails, int failures)
    {
        var proxy = new FaultProxy(upstream, fails, Enumerable.Repeat(Fault.RegistryUnavailable, failures).ToArray());
        await proxy._app.StartAsync();
        return proxy;
    }

    /// <summary>The requests that <paramref name="matches"/> matches take the faults of <paramref name="script"/> in order; all others pass.</summary>
    public static async Task<FaultProxy> StartAsync(string upstream, Func<HttpRequest, bool> matches, params Fault[] script)
    {
        var proxy = new FaultProxy(upstream, matches, script);
        await proxy._app.StartAsync();
        return proxy;
    }

    /// <summary>A blob upload's body (<c>PATCH</c>, or a <c>PUT</c> to an upload session), as the engine and RegistryClient send it.</summary>
    public static bool BlobUpload(HttpRequest request) =>
        request.Path.Value!.Contains("/blobs/uploads/", StringComparison.Ordinal) && request.Method is "PATCH" or "PUT";

    public int Port => new Uri(_app.Urls.First()).Port;

    public string Address => $"127.0.0.1:{Port}";

    public Uri Endpoint => new($"http://{Address}/");

    /// <summary>Requests received, forwarded or not.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Every request as "METHOD path", in order, forwarded or not.</summary>
    public IReadOnlyList<string> Seen => _seen.ToArray();

    /// <summary>How many body bytes a <see cref="Fault.Cut"/> request passes on before the cut.</summary>
    public const int CutAfter = 1024 * 1024;

    /// <summary>How many requests got an injected fault.</summary>
    public int FailuresServed => Volatile.Read(ref _failuresServed);

    /// <summary>The engine's manifest upload: failing it fails a push without the engine's own (slow) layer retries.</summary>
    public static bool ManifestPut(HttpRequest request) =>
        request.Method == "PUT" && request.Path.Value!.Contains("/manifests/", StringComparison.Ordinal);

    private async Task HandleAsync(HttpContext context, string upstream)
    {
        Interlocked.Increment(ref _requests);
        _seen.Enqueue($"{context.Request.Method} {context.Request.Path}");
        context.Response.Headers.Connection = "close";
        var fault = _matches(context.Request) && Interlocked.Increment(ref _next) is var index && index < _script.Length ? _script[index] : Fault.Pass;
        if (fault == Fault.Stall)
        {
            Interlocked.Increment(ref _failuresServed);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            try
            {
                // The body is left unread: Kestrel stops reading the socket once its small request buffer is full.
                await Task.Delay(Timeout.Infinite, either.Token);
            }
            catch (OperationCanceledException)
            {
                // The client gave up (its stall rule) or the test ended.
            }
            context.Abort();
            return;
        }
        if (fault == Fault.Cut)
        {
            Interlocked.Increment(ref _failuresServed);
            await CutAsync(context, upstream);
            return;
        }
        if (fault != Fault.Pass)
        {
            Interlocked.Increment(ref _failuresServed);
            await context.Request.Body.CopyToAsync(Stream.Null);
        }
        switch (fault)
        {
            case Fault.Throttle:
                context.Response.StatusCode = 400;
                context.Response.ContentType = "application/x-amz-json-1.1";
                context.Response.Headers["X-Amzn-Errortype"] = "ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/";
                await context.Response.WriteAsync("""{"__type":"ThrottlingException","message":"Rate exceeded"}""");
                return;
            case Fault.ServiceUnavailable:
                context.Response.StatusCode = 503;
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html><body>503 Service Temporarily Unavailable</body></html>");
                return;
            case Fault.RegistryUnavailable:
                context.Response.StatusCode = 503;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("""{"errors":[{"code":"UNAVAILABLE","message":"injected by the test proxy"}]}""");
                return;
            case Fault.TooManyRequests or Fault.TooManyRequestsForAnHour:
                context.Response.StatusCode = 429;
                context.Response.ContentType = "application/json";
                context.Response.Headers.RetryAfter = fault == Fault.TooManyRequests ? "2" : "3600";
                await context.Response.WriteAsync("""{"errors":[{"code":"TOOMANYREQUESTS","message":"too many requests, injected by the test proxy"}]}""");
                return;
            case Fault.Drop:
                context.Abort();
                return;
            case Fault.Hang:
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    // The client gave up (its per-try timeout).
                }
                context.Abort();
                return;
        }
        await ForwardAsync(context, upstream);
    }

    private async Task CutAsync(HttpContext context, string upstream)
    {
        var head = new byte[CutAfter];
        var read = await context.Request.Body.ReadAtLeastAsync(head, CutAfter, throwOnEndOfStream: false);
        // The server is told the whole length, gets the head, and waits for the rest until the connection goes; the
        // moment lets it read what it was sent (data still queued when the connection is reset would be lost).
        using var cut = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        cut.CancelAfter(TimeSpan.FromSeconds(1));
        var body = new CutContent(head.AsMemory(0, read)) { Headers = { ContentLength = context.Request.ContentLength } };
        try
        {
            await ProxyForwarding.ForwardAsync(_upstream, context, upstream, body, cancellationToken: cut.Token);
        }
        catch (OperationCanceledException)
        {
            // The cut.
        }
        context.Abort();
    }

    // Writes its bytes, then nothing until the send is cancelled.
    private sealed class CutContent(ReadOnlyMemory<byte> head) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(head, cancellationToken);
            await stream.FlushAsync(cancellationToken);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = Headers.ContentLength ?? -1;
            return length >= 0;
        }
    }

    private Task ForwardAsync(HttpContext context, string upstream) => ProxyForwarding.ForwardAsync(_upstream, context, upstream);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
        _stopping.Dispose();
    }
}
