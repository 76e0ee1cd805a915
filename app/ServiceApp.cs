namespace CloudAge.App;

/// <summary>Builds the CloudAge web application: <c>GET /</c> describes the service, <c>GET /healthz</c> answers probes.</summary>
public static class ServiceApp
{
    public const string DefaultUrls = "http://+:80";

    /// <summary>What the kubelet's probes and the load balancer's health checks ask; it answers without calling AWS.</summary>
    public const string HealthPath = "/healthz";

    /// <param name="args">Command line (<c>--urls</c> and any configuration key).</param>
    /// <param name="customize">Runs after the defaults are in place; tests use it to swap the server or the configuration.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        // The slim builder leaves out what a trimmed single-file publish cannot carry (hosting startup assemblies, static web assets).
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Services.AddSingleton(RequestLog.ToConsole());
        // The access log is RequestLogMiddleware's one line; the framework's own per-request lines would triple it.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        // No "Server: Kestrel" header: it tells a scanner which server and version to aim at, and nobody else needs it.
        builder.WebHost.ConfigureKestrel(options => options.AddServerHeader = false);
        customize?.Invoke(builder);

        // Port 80 is what the Service and the probes expect; an explicit --urls, ASPNETCORE_URLS or ASPNETCORE_HTTP_PORTS wins.
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey])
            && string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.HttpPortsKey])
            && string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.HttpsPortsKey]))
            builder.WebHost.UseUrls(DefaultUrls);

        var app = builder.Build();
        var build = BuildInfo.FromAssembly(typeof(ServiceApp).Assembly);

        app.UseMiddleware<RequestLogMiddleware>();
        app.MapGet("/", (IConfiguration configuration) =>
            TypedResults.Json(ServiceInfo.Describe(build, configuration), AppJsonContext.Default.ServiceInfo));
        app.MapGet(HealthPath, () => TypedResults.Text("ok"));
        return app;
    }
}
