using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using CloudAge.App.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CloudAge.App.Tests;

public sealed partial class RequestLogTests
{
    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (?<method>[A-Z]+) (?<path>\S+) (?<status>\d{3}) \d+\.\dms$")]
    private static partial Regex LogLine();

    [Fact]
    public async Task Each_request_writes_one_line_with_method_path_status_and_duration()
    {
        await using var app = await InProcessApp.StartAsync();

        (await app.Client.GetAsync("/")).Dispose();
        (await app.Client.GetAsync("/no-such-page")).Dispose();
        (await app.Client.DeleteAsync("/")).Dispose();

        var lines = app.LogLines.Select(line => LogLine().Match(line)).ToArray();
        Assert.Equal(3, lines.Length);
        Assert.All(lines, match => Assert.True(match.Success, string.Join('\n', app.LogLines)));
        Assert.Equal(["GET / 200", "GET /no-such-page 404", "DELETE / 405"],
            lines.Select(m => $"{m.Groups["method"]} {m.Groups["path"]} {m.Groups["status"]}"));
    }

    [Fact]
    public async Task A_passed_health_check_writes_no_line_and_a_failed_one_does()
    {
        await using var app = await InProcessApp.StartAsync();

        // Per pod, the probes and the NLB's checks make a few dozen of these a minute.
        for (var i = 0; i < 3; i++)
            (await app.Client.GetAsync("/healthz")).Dispose();
        (await app.Client.GetAsync("/HEALTHZ")).Dispose();
        (await app.Client.PostAsync("/healthz", content: null)).Dispose();
        (await app.Client.GetAsync("/healthz-not")).Dispose();

        Assert.Equal(2, app.LogLines.Length);
        Assert.Contains("Z POST /healthz 405 ", app.LogLines[0], StringComparison.Ordinal);
        Assert.Contains("Z GET /healthz-not 404 ", app.LogLines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Control_characters_in_the_path_are_escaped_and_cannot_forge_a_line()
    {
        await using var app = await InProcessApp.StartAsync();

        // %0A and %0D decode to a newline and a carriage return in Request.Path.
        (await app.Client.GetAsync("/x%0D%0A2026-01-01T00:00:00.000Z%20GET%20/admin%20200%200.1ms")).Dispose();

        var line = Assert.Single(app.LogLines);
        Assert.Matches(LogLine(), line);
        Assert.Contains(@"GET /x\x0D\x0A2026-01-01T00:00:00.000Z\x20GET\x20/admin\x20200\x200.1ms 404", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_line_leaves_out_the_query_string()
    {
        await using var app = await InProcessApp.StartAsync();

        (await app.Client.GetAsync("/?token=hunter2-secret")).Dispose();

        var line = Assert.Single(app.LogLines);
        Assert.Contains("GET / 200", line, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("OPTIONS * HTTP/1.1", "localhost", "OPTIONS * 405")]
    [InlineData("CONNECT db.example:443 HTTP/1.1", "db.example:443", "CONNECT db.example:443 405")]
    public async Task A_request_target_without_a_path_is_logged_as_it_came_and_keeps_the_fields_in_place(string requestLine, string host, string logged)
    {
        // Real Kestrel: the asterisk and authority forms leave Request.Path empty, which the test host cannot send.
        var log = new StringWriter();
        await using var app = ServiceApp.Build(["--urls", "http://127.0.0.1:0"], builder => builder.Services.AddSingleton(new RequestLog(log)));
        await app.StartAsync();
        var port = new Uri(Assert.Single(app.Urls)).Port;

        using (var client = new TcpClient())
        {
            await client.ConnectAsync("127.0.0.1", port);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(requestLine + "\r\nHost: " + host + "\r\nConnection: close\r\n\r\n"));
            using var reader = new StreamReader(stream, Encoding.ASCII);
            Assert.StartsWith("HTTP/1.1 405", await reader.ReadLineAsync(), StringComparison.Ordinal);
            await reader.ReadToEndAsync();
        }
        await app.StopAsync();

        var line = Assert.Single(log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Matches(LogLine(), line);
        Assert.Contains("Z " + logged + " ", line, StringComparison.Ordinal);
    }
}
