using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CloudAge.Tools.GitOps.Tests.Fixtures;

/// <summary>
/// A loopback HTTP listener that records request headers and answers 403, standing in for a git host
/// that refuses the token: enough to see what credentials git really sends.
/// </summary>
public sealed class GitHttpCapture : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _requests = [];
    private readonly string? _redirectTo;

    /// <param name="redirectTo">When given, every request is answered 302 to this base URL plus the request's path (a hostile remote).</param>
    public GitHttpCapture(string? redirectTo = null)
    {
        _redirectTo = redirectTo;
        _listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/cloudage.git";

    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
                return _requests.ToList();
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var stream = client.GetStream();
                var buffer = new byte[16384];
                var received = new StringBuilder();
                while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0)
                        break;
                    received.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }
                lock (_requests)
                    _requests.Add(received.ToString());
                var answer = _redirectTo is null
                    ? "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    : $"HTTP/1.1 302 Found\r\nLocation: {_redirectTo.TrimEnd('/')}{PathOf(received.ToString()).Replace("/cloudage.git", "", StringComparison.Ordinal)}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(answer), _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (IOException)
            {
                // A client that hangs up early is not what the test checks.
            }
        }
    }

    private static string PathOf(string request) => request.Split(' ', 3) is [_, var path, _] ? path : "/";

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
