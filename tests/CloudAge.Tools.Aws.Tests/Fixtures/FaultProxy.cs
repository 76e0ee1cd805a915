using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CloudAge.Tools.Aws.Tests.Fixtures;

public enum Fault
{
    /// <summary>HTTP 400 with <c>__type: ThrottlingException</c>, as ECR throttles.</summary>
    Throttle,
    /// <summary>HTTP 503 with an HTML body, as a load balancer in front of a service answers.</summary>
    ServiceUnavailable,
    /// <summary>Closes the connection without an answer (a reset).</summary>
    Drop,
    /// <summary>Answers nothing for 10 seconds (longer than the tests' per-try timeout).</summary>
    Hang,
}

/// <summary>
/// A loopback HTTP proxy in front of a real server that answers with scripted faults first and forwards
/// everything else. It records every request line and header it sees, so tests can look for leaked secrets.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpClient _upstream = new();
    private readonly Uri _target;
    private readonly ConcurrentQueue<Fault> _script = new();
    private readonly Task _loop;
    private int _requests;

    public FaultProxy(Uri target, params Fault[] script)
    {
        _target = target;
        foreach (var fault in script)
            _script.Enqueue(fault);
        var port = FreePort();
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Endpoint.ToString());
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public Uri Endpoint { get; }

    public int Requests => Volatile.Read(ref _requests);

    public ConcurrentQueue<string> SeenTargets { get; } = new();

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
            // Stopping the listener ends the accept loop.
        }
        _upstream.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        Interlocked.Increment(ref _requests);
        SeenTargets.Enqueue(context.Request.Headers["X-Amz-Target"] ?? context.Request.Url?.AbsolutePath ?? string.Empty);
        try
        {
            if (_script.TryDequeue(out var fault))
                await AnswerWithAsync(fault, context.Response);
            else
                await ForwardAsync(context);
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client gave up (per-try timeout) while this answer was on its way.
        }
    }

    private static async Task AnswerWithAsync(Fault fault, HttpListenerResponse response)
    {
        switch (fault)
        {
            case Fault.Throttle:
                response.Headers["X-Amzn-Errortype"] = "ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/";
                await WriteAsync(response, 400, "application/x-amz-json-1.1", """{"__type":"ThrottlingException","message":"Rate exceeded"}""");
                break;
            case Fault.ServiceUnavailable:
                await WriteAsync(response, 503, "text/html", "<html><body>503 Service Temporarily Unavailable</body></html>");
                break;
            case Fault.Drop:
                response.Abort();
                break;
            case Fault.Hang:
                await Task.Delay(TimeSpan.FromSeconds(10));
                response.Abort();
                break;
        }
    }

    private async Task ForwardAsync(HttpListenerContext context)
    {
        var incoming = context.Request;
        using var body = new MemoryStream();
        await incoming.InputStream.CopyToAsync(body);
        using var request = new HttpRequestMessage(new HttpMethod(incoming.HttpMethod), new Uri(_target, incoming.RawUrl))
        {
            Content = new ByteArrayContent(body.ToArray()),
        };
        foreach (var name in incoming.Headers.AllKeys.OfType<string>())
        {
            if (name is "Host" or "Content-Length" or "Connection")
                continue;
            if (!request.Headers.TryAddWithoutValidation(name, incoming.Headers[name]))
                request.Content.Headers.TryAddWithoutValidation(name, incoming.Headers[name]);
        }
        using var answer = await _upstream.SendAsync(request);
        if (answer.Headers.TryGetValues("X-Amzn-Errortype", out var types))
            context.Response.Headers["X-Amzn-Errortype"] = types.First();
        await WriteAsync(context.Response, (int)answer.StatusCode, answer.Content.Headers.ContentType?.ToString() ?? "application/json",
            await answer.Content.ReadAsStringAsync());
    }

    private static async Task WriteAsync(HttpListenerResponse response, int status, string contentType, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
