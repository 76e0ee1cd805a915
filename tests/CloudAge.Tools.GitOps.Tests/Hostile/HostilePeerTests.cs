using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using CloudAge.Common.Errors;
using CloudAge.Common.Net;
using CloudAge.Common.Resilience;
using CloudAge.Common.Secrets;
using CloudAge.Tools.GitOps.ArgoCd;
using CloudAge.Tools.GitOps.Kubernetes;
using CloudAge.Tools.GitOps.Smoke;
using CloudAge.Tools.GitOps.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CloudAge.Tools.GitOps.Tests.Hostile;

/// <summary>
/// Servers on loopback that misbehave on purpose (Kestrel, real sockets), against the real Argo CD REST client, Kubernetes
/// API client and smoke checker with their default handlers: a body that never ends, a redirect to another host, a slow
/// drip, injected newlines and floods, a certificate nobody trusts, and plain http.
/// </summary>
public sealed class HostilePeerTests
{
    private const string Token = "argo-hostile-Token-0123456789";
    private static readonly RetryPolicy Fast = new() { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(20), AttemptTimeout = TimeSpan.FromSeconds(2) };

    private readonly ConcurrentQueue<string> _log = new();

    private ArgoRestApi Argo(Uri server, bool insecure = false, RetryPolicy? retry = null) =>
        new(new ArgoServerOptions(server.ToString(), Token) { Retry = retry ?? Fast, Insecure = insecure }, new SecretMasker(), _log.Enqueue);

    [Fact]
    public async Task A_body_that_never_ends_is_cut_at_the_cap_with_a_clear_error()
    {
        long written = 0;
        // A raw socket server: its writes block when the client stops reading and fail when it hangs up, so the count
        // is what the client really took in (Kestrel would discard writes to a closed connection and count on).
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serving = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var request = new byte[4096];
            _ = await stream.ReadAsync(request);
            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"u8.ToArray());
            var chunk = System.Text.Encoding.ASCII.GetBytes("10000\r\n" + new string(' ', 0x10000) + "\r\n");
            try
            {
                while (true)
                {
                    await stream.WriteAsync(chunk);
                    Interlocked.Add(ref written, 0x10000);
                }
            }
            catch (IOException)
            {
                // The client hung up: what the test expects.
            }
        });
        var address = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        // One try with room to read 32 MB on a busy machine: the cap, not a timeout, must end it.
        using var api = Argo(address, retry: new RetryPolicy { MaxAttempts = 1, AttemptTimeout = TimeSpan.FromSeconds(60) });

        var failure = await Assert.ThrowsAsync<ResponseTooLargeException>(() => api.GetAsync("cloudage", refresh: false));
        await serving.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains($"{address}api/v1/applications/cloudage answered with more than the 32 MB this client accepts", failure.Message);
        // Read up to the cap (plus what the sockets buffer), then hung up: far from a 300 MB answer.
        Assert.InRange(Interlocked.Read(ref written), SafeHttp.DefaultMaxResponseBytes, SafeHttp.DefaultMaxResponseBytes + 16 * 1024 * 1024);
    }

    [Fact]
    public async Task A_declared_length_over_the_cap_fails_before_the_body_is_read()
    {
        await using var server = await FakeHttpServer.StartAsync(async context =>
        {
            context.Response.ContentLength = 300L * 1024 * 1024;
            await context.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        using var api = Argo(server.BaseAddress);

        var failure = await Assert.ThrowsAsync<ResponseTooLargeException>(() => api.GetAsync("cloudage", refresh: false));

        Assert.Contains("answered with 314572800 bytes than the 32 MB", failure.Message.Replace("bytes bytes", "bytes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_redirect_to_another_host_never_carries_the_token_there()
    {
        var seenElsewhere = new ConcurrentQueue<string>();
        await using var elsewhere = await FakeHttpServer.StartAsync(context =>
        {
            seenElsewhere.Enqueue(context.Request.Headers.Authorization.ToString());
            return context.Response.WriteAsync("""{"metadata":{"name":"cloudage"},"status":{}}""");
        });
        var seenHere = new ConcurrentQueue<string>();
        await using var server = await FakeHttpServer.StartAsync(context =>
        {
            seenHere.Enqueue(context.Request.Headers.Authorization.ToString());
            // "localhost" is another host than the "127.0.0.1" the client was given, as another machine would be.
            context.Response.StatusCode = 307;
            context.Response.Headers.Location = $"http://localhost:{elsewhere.BaseAddress.Port}{context.Request.Path}";
            return Task.CompletedTask;
        });
        using var api = Argo(server.BaseAddress);

        await api.GetAsync("cloudage", refresh: false);

        Assert.Equal("Bearer " + Token, Assert.Single(seenHere));
        Assert.Equal(string.Empty, Assert.Single(seenElsewhere));
    }

    [Fact]
    public async Task A_redirect_on_the_same_origin_keeps_the_token()
    {
        var seen = new ConcurrentQueue<string>();
        await using var server = await FakeHttpServer.StartAsync(context =>
        {
            seen.Enqueue(context.Request.Path + " " + context.Request.Headers.Authorization);
            if (!context.Request.Path.StartsWithSegments("/moved"))
            {
                context.Response.StatusCode = 308;
                context.Response.Headers.Location = "/moved" + context.Request.Path;
                return Task.CompletedTask;
            }
            return context.Response.WriteAsync("""{"metadata":{"name":"cloudage"},"status":{}}""");
        });
        using var api = Argo(server.BaseAddress);

        await api.GetAsync("cloudage", refresh: false);

        Assert.Equal(["/api/v1/applications/cloudage Bearer " + Token, "/moved/api/v1/applications/cloudage Bearer " + Token], seen.ToArray());
    }

    [Fact]
    public async Task A_slow_drip_is_bounded_by_tries_times_the_per_try_timeout()
    {
        await using var server = await FakeHttpServer.StartAsync(async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.Body.FlushAsync();
            // One byte every half second: each read succeeds, so only a bound on the whole try ends it.
            while (!context.RequestAborted.IsCancellationRequested)
            {
                await context.Response.Body.WriteAsync(" "u8.ToArray(), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(500, context.RequestAborted);
            }
        });
        using var api = Argo(server.BaseAddress);
        var clock = Stopwatch.StartNew();

        var failure = await Assert.ThrowsAsync<ArgoCdException>(() => api.GetAsync("cloudage", refresh: false));

        // 3 tries x 2 s, plus short backoffs.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15));
        Assert.Contains("kept failing", failure.Message);
        Assert.Contains("no answer within 2 s", failure.Message);
    }

    [Fact]
    public async Task Newlines_in_a_server_answer_do_not_become_lines_of_our_output()
    {
        await using var server = await FakeHttpServer.StartAsync(context =>
        {
            context.Response.StatusCode = 403;
            return context.Response.WriteAsync("""{"message":"denied\n::error::forged by the server\r\nBuild succeeded."}""");
        });
        using var api = Argo(server.BaseAddress);

        var failure = await Assert.ThrowsAnyAsync<ArgoCdException>(() => api.GetAsync("cloudage", refresh: false));

        Assert.DoesNotContain('\n', failure.Message);
        Assert.DoesNotContain('\r', failure.Message);
        Assert.Contains(@"denied\n::error::forged by the server\r\nBuild succeeded.", failure.Message);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    public async Task A_Kubernetes_refusal_with_forged_lines_and_a_flood_is_quoted_on_one_bounded_line(string contentType)
    {
        const string forged = "denied\n::error::forged by the server\r\nBuild succeeded.";
        var message = forged + new string('x', 5000);
        // The API server's Status object, or a body that is not one (a proxy's page).
        var body = contentType == "application/json" ? JsonSerializer.Serialize(new { kind = "Status", status = "Failure", message, code = 403 }) : message;
        await using var server = await FakeHttpServer.StartAsync(context =>
        {
            context.Response.StatusCode = 403;
            context.Response.ContentType = contentType;
            return context.Response.WriteAsync(body);
        });
        var masker = new SecretMasker();
        using var client = KubernetesClients.FromEndpoint(new ClusterEndpoint(server.BaseAddress, null), _ => Task.FromResult("k8s-token"), masker);
        var waiter = new KubernetesWaiter(client, masker, _log.Enqueue, Fast);

        var failure = await Assert.ThrowsAsync<ClusterForbiddenException>(() =>
            waiter.WaitForRolloutAsync("cloudage", "cloudage", new WaitOptions { Timeout = TimeSpan.FromSeconds(20) }));

        Assert.DoesNotContain('\n', failure.Message);
        Assert.DoesNotContain('\r', failure.Message);
        Assert.Contains(@"(denied\n::error::forged by the server\r\nBuild succeeded.", failure.Message);
        Assert.InRange(failure.Message.Length, 1, 1000);
    }

    [Fact]
    public async Task A_smoke_check_quotes_the_reported_version_and_commit_on_one_bounded_line()
    {
        var forged = "1.3.9\n::error::forged by the service\u001b[2J" + new string('x', 20_000);
        await using var target = await SmokeTarget.StartAsync((200, JsonSerializer.Serialize(new { version = forged, commit = forged })));
        using var smoke = new SmokeChecker(_log.Enqueue);

        var failure = await Assert.ThrowsAsync<SmokeCheckException>(() => smoke.CheckAsync(new SmokeCheckRequest(target.Url)
        {
            ExpectedVersion = "1.4.0",
            Timeout = TimeSpan.FromSeconds(3),
            RetryInterval = TimeSpan.FromMilliseconds(10),
            MaxRetryInterval = TimeSpan.FromMilliseconds(40),
        }));

        Assert.Contains(@"version 1.3.9\n::error::forged by the service\u001b[2J", failure.Message);
        foreach (var text in _log.Append(failure.Message))
        {
            Assert.DoesNotContain('\n', text);
            Assert.DoesNotContain('\u001b', text);
            Assert.InRange(text.Length, 1, 1000);
        }
    }

    [Fact]
    public async Task A_smoke_check_of_an_endless_page_fails_at_the_cap()
    {
        await using var server = await FakeHttpServer.StartAsync(async context =>
        {
            var chunk = new byte[64 * 1024];
            while (!context.RequestAborted.IsCancellationRequested)
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
        });
        using var smoke = new SmokeChecker(_log.Enqueue);

        var failure = await Assert.ThrowsAsync<ResponseTooLargeException>(() => smoke.CheckAsync(new SmokeCheckRequest(server.BaseAddress) { Timeout = TimeSpan.FromSeconds(20) }));

        Assert.Contains("1 MB this client accepts", failure.Message);
    }

    [Fact]
    public async Task A_certificate_nobody_trusts_fails_at_once_with_a_hint_about_insecure()
    {
        var requests = 0;
        await using var tls = await TlsServer.StartAsync(context =>
        {
            Interlocked.Increment(ref requests);
            return context.Response.WriteAsync("""{"metadata":{"name":"cloudage"},"status":{}}""");
        });
        using var api = Argo(tls.BaseAddress);

        var failure = await Assert.ThrowsAsync<ArgoCdException>(() => api.GetAsync("cloudage", refresh: false));

        Assert.Contains("the TLS connection failed", failure.Message);
        Assert.Contains("pass --argocd-insecure", failure.Message);
        Assert.DoesNotContain(_log, l => l.Contains("retry", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(0, requests);
        Assert.DoesNotContain("net_http_", failure.Message);

        using var insecure = Argo(tls.BaseAddress, insecure: true);
        await insecure.GetAsync("cloudage", refresh: false);
        Assert.Equal(1, requests);
    }

    [Fact]
    public void A_token_over_plain_http_to_another_machine_is_refused_unless_plaintext_is_asked_for()
    {
        var refused = Assert.Throws<InputException>(() => new ArgoRestApi(new ArgoServerOptions("http://argocd.example.com", Token), new SecretMasker(), _log.Enqueue));
        using var plaintext = new ArgoRestApi(new ArgoServerOptions("http://argocd.example.com", Token) { Plaintext = true }, new SecretMasker(), _log.Enqueue);
        using var loopback = new ArgoRestApi(new ArgoServerOptions("http://127.0.0.1:8080", Token), new SecretMasker(), _log.Enqueue);

        Assert.Contains("is plain http, which would send the token unencrypted", refused.Message);
        Assert.Contains("--argocd-plaintext", refused.Message);
        Assert.DoesNotContain(Token, refused.Message);
    }

    /// <summary>Kestrel on a loopback port with a fresh self-signed certificate that no trust store holds.</summary>
    private sealed class TlsServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private TlsServer(WebApplication app, Uri baseAddress)
        {
            _app = app;
            BaseAddress = baseAddress;
        }

        public Uri BaseAddress { get; }

        public static async Task<TlsServer> StartAsync(Func<HttpContext, Task> handle)
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            var certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
            var app = builder.Build();
            app.Run(new RequestDelegate(handle));
            await app.StartAsync();
            var address = app.Urls.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);
            return new TlsServer(app, new Uri(address.TrimEnd('/') + "/"));
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
