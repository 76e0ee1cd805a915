using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CloudAge.Tools.Aws.Tests.Fixtures;

public enum Fault
{
    /// <summary>Forwards this request unchanged (to place faults after a success).</summary>
    Pass,
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
/// A loopback HTTP/1.1 proxy in front of a real server (on a raw socket, so a dropped connection really is one)
/// that answers with scripted faults first and forwards everything else. Every answer closes the connection.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly HttpClient _upstream = new();
    private readonly Uri _target;
    private readonly ConcurrentQueue<Fault> _script = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _requests;

    public FaultProxy(Uri target, params Fault[] script)
    {
        _target = target;
        foreach (var fault in script)
            _script.Enqueue(fault);
        _listener.Start();
        Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _loop = Task.Run(AcceptLoopAsync);
    }

    public Uri Endpoint { get; }

    public int Requests => Volatile.Read(ref _requests);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _upstream.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(socket));
        }
    }

    private async Task HandleAsync(Socket socket)
    {
        using var _ = socket;
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        try
        {
            var request = await ReadRequestAsync(stream);
            Interlocked.Increment(ref _requests);
            if (!_script.TryDequeue(out var fault) || fault == Fault.Pass)
            {
                await ForwardAsync(stream, request);
                return;
            }
            switch (fault)
            {
                case Fault.Throttle:
                    await WriteAsync(stream, 400, "Bad Request", "application/x-amz-json-1.1",
                        """{"__type":"ThrottlingException","message":"Rate exceeded"}""",
                        ("X-Amzn-Errortype", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/"));
                    break;
                case Fault.ServiceUnavailable:
                    await WriteAsync(stream, 503, "Service Unavailable", "text/html", "<html><body>503 Service Temporarily Unavailable</body></html>");
                    break;
                case Fault.Drop:
                    // Linger 0 turns the close into a reset, as a crashing load balancer sends.
                    socket.LingerState = new LingerOption(true, 0);
                    break;
                case Fault.Hang:
                    await Task.Delay(TimeSpan.FromSeconds(10), _stop.Token);
                    break;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            // The client gave up (per-try timeout) or the proxy is stopping.
        }
    }

    private sealed record Request(string Method, string Path, List<(string Name, string Value)> Headers, byte[] Body);

    private static async Task<Request> ReadRequestAsync(NetworkStream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (!EndsWithBlankLine(head))
        {
            if (await stream.ReadAsync(one) == 0)
                throw new IOException("The client closed the connection before sending a request.");
            head.Add(one[0]);
        }
        var lines = Encoding.ASCII.GetString(head.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var requestLine = lines[0].Split(' ');
        var headers = lines.Skip(1).Select(line => line.Split(':', 2)).Select(p => (p[0].Trim(), p[1].Trim())).ToList();
        var length = headers.Where(h => h.Item1.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Select(h => int.Parse(h.Item2)).FirstOrDefault();
        var body = new byte[length];
        await stream.ReadExactlyAsync(body);
        return new Request(requestLine[0], requestLine[1], headers, body);
    }

    private static bool EndsWithBlankLine(List<byte> head) =>
        head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n';

    private async Task ForwardAsync(NetworkStream stream, Request incoming)
    {
        using var request = new HttpRequestMessage(new HttpMethod(incoming.Method), new Uri(_target, incoming.Path))
        {
            Content = new ByteArrayContent(incoming.Body),
        };
        foreach (var (name, value) in incoming.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                continue;
            if (!request.Headers.TryAddWithoutValidation(name, value))
                request.Content.Headers.TryAddWithoutValidation(name, value);
        }
        using var answer = await _upstream.SendAsync(request);
        var extra = answer.Headers.TryGetValues("X-Amzn-Errortype", out var types) ? new[] { ("X-Amzn-Errortype", types.First()) } : [];
        await WriteAsync(stream, (int)answer.StatusCode, answer.ReasonPhrase ?? "Answer", answer.Content.Headers.ContentType?.ToString() ?? "application/json",
            await answer.Content.ReadAsStringAsync(), extra);
    }

    private static async Task WriteAsync(NetworkStream stream, int status, string reason, string contentType, string text, params (string Name, string Value)[] headers)
    {
        var body = Encoding.UTF8.GetBytes(text);
        var head = new StringBuilder($"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n");
        foreach (var (name, value) in headers)
            head.Append($"{name}: {value}\r\n");
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        await stream.WriteAsync(body);
    }
}
