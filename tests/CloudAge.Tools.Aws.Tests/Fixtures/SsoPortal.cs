using System.Net;
using System.Text;
using CloudAge.Testing;

namespace CloudAge.Tools.Aws.Tests.Fixtures;

/// <summary>
/// A loopback stand-in for the IAM Identity Center portal API's GetRoleCredentials (moto does not serve it):
/// <c>GET /federation/credentials?role_name=&amp;account_id=</c> with the cached access token in the
/// <c>x-amz-sso_bearer_token</c> header, answering <c>{"roleCredentials": {...}}</c> (expiration in epoch
/// milliseconds), or 401 UnauthorizedException for any other token, as the SSO API reference documents.
/// </summary>
public sealed class SsoPortal : IDisposable
{
    public const string AccessKeyId = "ASIASSOPORTAL0000001";
    public const string SecretAccessKey = "sso-portal-secret-c4ca4238a0b923820dcc";
    public const string SessionToken = "sso-portal-session-token-c81e728d9d4c2f636f06";

    private readonly HttpListener _listener = new();
    private readonly Task _serving;
    private readonly string _token;

    public SsoPortal(string acceptedToken)
    {
        _token = acceptedToken;
        var port = FreePort.Next();
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Endpoint.ToString());
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public Uri Endpoint { get; }

    /// <summary>Each request as "GET /federation/credentials?... token=&lt;bearer&gt;".</summary>
    public List<string> Requests { get; } = [];

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            var bearer = context.Request.Headers["x-amz-sso_bearer_token"];
            lock (Requests)
                Requests.Add($"{context.Request.HttpMethod} {context.Request.Url!.PathAndQuery} token={bearer}");
            var query = context.Request.QueryString;
            string body;
            if (context.Request.Url.AbsolutePath == "/federation/credentials" && bearer == _token && query["role_name"] == "Deployer" && query["account_id"] == "123456789012")
            {
                var expiration = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds();
                body = "{\"roleCredentials\":{\"accessKeyId\":\"" + AccessKeyId + "\",\"secretAccessKey\":\"" + SecretAccessKey +
                    "\",\"sessionToken\":\"" + SessionToken + "\",\"expiration\":" + expiration + "}}";
                context.Response.StatusCode = 200;
            }
            else
            {
                body = """{"message":"Session token not found or invalid"}""";
                context.Response.StatusCode = 401;
                context.Response.Headers["x-amzn-ErrorType"] = "UnauthorizedException";
            }
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }
}
