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

    public GitHttpCapture()
    {
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
                await stream.WriteAsync("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), _stop.Token);
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

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
