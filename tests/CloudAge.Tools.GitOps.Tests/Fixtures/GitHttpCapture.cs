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

    private readonly string? _answer;

    /// <param name="redirectTo">When given, every request is answered 302 to this base URL plus the request's path (a hostile remote).</param>
    /// <param name="answer">When given, the whole HTTP response every request gets (see <see cref="GitHubForbidden"/>).</param>
    public GitHttpCapture(string? redirectTo = null, string? answer = null)
    {
        _redirectTo = redirectTo;
        _answer = answer;
        _listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    /// <summary>What github.com answers a token without contents: write (a workflow's GITHUB_TOKEN with contents: read) on
    /// git-receive-pack: 403 with a text/plain body, which git prints as "remote: Permission to ... denied to github-actions[bot]."</summary>
    public static string GitHubForbidden(string repository) => Response("403 Forbidden", "", $"Permission to {repository}.git denied to github-actions[bot].\n");

    /// <summary>What github.com answers a request without credentials for a private repository (or with a token it does not
    /// accept): 401 asking for Basic credentials, which git without a prompt turns into "could not read Username".</summary>
    public static string GitHubUnauthorized() => Response("401 Unauthorized", "WWW-Authenticate: Basic realm=\"GitHub\"\r\n", "Invalid username or token. Password authentication is not supported for Git operations.\n");

    private static string Response(string status, string headers, string body) =>
        $"HTTP/1.1 {status}\r\n{headers}Content-Type: text/plain; charset=utf-8\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";

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
                var answer = _answer is not null ? _answer : _redirectTo is null
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
