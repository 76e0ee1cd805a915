using Microsoft.AspNetCore.Http;

namespace CloudAge.Tools.GitOps.Tests.Fakes;

/// <summary>A stand-in for the deployed service behind its load balancer: answers <c>GET /</c> with scripted (status, body) per request.</summary>
internal sealed class SmokeTarget : IAsyncDisposable
{
    private readonly FakeHttpServer _server;
    private int _requests;

    private SmokeTarget(FakeHttpServer server, IReadOnlyList<(int Status, string Body)> answers)
    {
        _server = server;
        Answers = answers;
    }

    public IReadOnlyList<(int Status, string Body)> Answers { get; }
    public Uri Url => _server.BaseAddress;
    public int Port => _server.BaseAddress.Port;
    public int Requests => Volatile.Read(ref _requests);

    public static async Task<SmokeTarget> StartAsync(params (int Status, string Body)[] answers)
    {
        SmokeTarget? target = null;
        var server = await FakeHttpServer.StartAsync(context => target!.HandleAsync(context));
        target = new SmokeTarget(server, answers);
        return target;
    }

    public static string Version(string version) => $$"""{"service":"cloudage","version":"{{version}}","commit":"abc1234"}""";

    private async Task HandleAsync(HttpContext context)
    {
        var n = Interlocked.Increment(ref _requests) - 1;
        var (status, body) = Answers[Math.Min(n, Answers.Count - 1)];
        context.Response.StatusCode = status;
        context.Response.ContentType = body.StartsWith('{') ? "application/json" : "text/plain";
        await context.Response.WriteAsync(body);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
