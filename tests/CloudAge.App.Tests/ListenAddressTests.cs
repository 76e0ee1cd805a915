using System.Net;
using System.Text.Json;
using CloudAge.App.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CloudAge.App.Tests;

public sealed class ListenAddressTests
{
    [Fact]
    public async Task Listens_on_port_80_when_nothing_else_is_configured()
    {
        await using var app = await InProcessApp.StartAsync();

        Assert.Equal("http://+:80", app.Configuration["urls"]);
    }

    [Fact]
    public async Task Keeps_the_ports_of_ASPNETCORE_HTTP_PORTS_when_it_is_set()
    {
        await using var app = await InProcessApp.StartAsync(new Dictionary<string, string?> { ["http_ports"] = "8080" });

        Assert.Null(app.Configuration["urls"]);
    }

    [Fact]
    public async Task Serves_real_HTTP_on_the_address_given_with_urls()
    {
        // Port 0: Kestrel takes a free loopback port and reports it after start.
        await using var app = ServiceApp.Build(["--urls", "http://127.0.0.1:0"], builder => builder.Services.AddSingleton(new RequestLog(TextWriter.Null)));
        await app.StartAsync();
        var address = Assert.Single(app.Urls);
        using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(10) };

        using var response = await client.GetAsync("/");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.StartsWith("http://127.0.0.1:", address, StringComparison.Ordinal);
        Assert.NotEqual(80, new Uri(address).Port);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("cloudage", json.RootElement.GetProperty("service").GetString());
        // Kestrel adds "Server: Kestrel" unless told not to; only the real server (not the test host) shows it.
        Assert.False(response.Headers.Contains("Server"), string.Join(", ", response.Headers.Select(h => h.Key)));
        await app.StopAsync();
    }
}
