using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CloudAge.App.Tests.Fixtures;

/// <summary>
/// The real application pipeline on an in-memory server, with exactly the configuration a test gives
/// (the machine's environment variables are cleared away) and the access log captured.
/// </summary>
internal sealed class InProcessApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessApp(WebApplication app, StringWriter log)
    {
        _app = app;
        Log = log;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }

    public StringWriter Log { get; }

    public IConfiguration Configuration => _app.Configuration;

    public string[] LogLines => Log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static async Task<InProcessApp> StartAsync(IReadOnlyDictionary<string, string?>? configuration = null)
    {
        var log = new StringWriter();
        var app = ServiceApp.Build([], builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Configuration.Sources.Clear();
            builder.Configuration.AddInMemoryCollection(configuration ?? new Dictionary<string, string?>());
            builder.Services.AddSingleton(new RequestLog(log));
        });
        await app.StartAsync();
        return new InProcessApp(app, log);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
