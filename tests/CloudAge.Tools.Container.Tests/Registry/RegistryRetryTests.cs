using CloudAge.Common.Resilience;
using CloudAge.Common.Secrets;
using CloudAge.Testing;
using CloudAge.Tools.Container.Registry;
using CloudAge.Tools.Container.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CloudAge.Tools.Container.Tests.Registry;

/// <summary>How a registry call's failed tries are reported, and how long an upload try may take: loopback stand-ins, and
/// the real registry behind <see cref="FaultProxy"/> for the pauses a registry asks for.</summary>
public sealed class RegistryRetryTests
{
    private const string Digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

    // Short enough that a slow upload outlasts the per-try timeout, and a stall shows within seconds; three tries, so a
    // POST slowed past a second by a loaded machine is retried rather than failing the test.
    private static readonly RetryPolicy ShortTries = new() { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(100), AttemptTimeout = TimeSpan.FromSeconds(1) };

    private readonly Log _log = new();

    [Fact]
    public async Task A_retried_answer_is_logged_as_its_status_without_its_headers()
    {
        await using var registry = await LoopbackWebApp.StartAsync(context =>
        {
            context.Response.StatusCode = 503;
            context.Features.Get<IHttpResponseFeature>()!.ReasonPhrase = "Service Unavailable " + new string('x', 300);
            context.Response.Headers.SetCookie = "session=cookie-value-123; HttpOnly";
            context.Response.Headers["X-Note"] = "::error::forged by the registry";
            return Task.CompletedTask;
        });
        using var client = new RegistryClient(registry.Address(), null, new SecretMasker(), _log.Write, new RegistryClientOptions { Retry = PushFixture.FastRetries });

        await Assert.ThrowsAsync<ContainerException>(() => client.CheckAccessAsync());

        var retries = _log.Lines.Where(l => l.Contains("retrying in", StringComparison.Ordinal)).ToList();
        Assert.Equal(PushFixture.FastRetries.MaxAttempts - 1, retries.Count);
        Assert.All(retries, line =>
        {
            Assert.Contains("failed (HTTP 503 Service Unavailable xxx", line, StringComparison.Ordinal);
            Assert.DoesNotContain("Set-Cookie", line, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("cookie-value-123", line, StringComparison.Ordinal);
            Assert.DoesNotContain("::error::", line, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', line);
            Assert.True(line.Length < 250, $"a retry line of {line.Length} characters: {line}");
        });
    }

    private static bool ManifestHead(HttpRequest request) => request.Method == "HEAD" && request.Path.Value!.Contains("/manifests/", StringComparison.Ordinal);

    [IntegrationFact(Needs.Registry | Needs.Htpasswd)]
    public async Task A_429_is_retried_after_the_pause_its_Retry_After_asks_for_rather_than_the_backoff()
    {
        await using var registry = await RegistryServer.StartAsync();
        await using var proxy = await FaultProxy.StartAsync(registry.Address, ManifestHead, Fault.TooManyRequests);
        using var client = new RegistryClient(proxy.Address, new RegistryCredentials(RegistryServer.User, registry.Password), new SecretMasker(), _log.Write,
            new RegistryClientOptions { Retry = PushFixture.FastRetries });
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var digest = await client.GetManifestDigestAsync("team/app", "1.0.0");

        Assert.Null(digest);
        Assert.Equal(1, proxy.FailuresServed);
        // The backoff alone would have waited 100 ms.
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), $"the retry came after {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Contains(_log.Lines, l => l == $"Registry {proxy.Address}: try 1 of 3 failed (HTTP 429 Too Many Requests); retrying in 2.0 s");
    }

    [IntegrationFact(Needs.Registry | Needs.Htpasswd)]
    public async Task A_429_asking_for_a_longer_pause_than_a_minute_fails_at_once_naming_the_pause()
    {
        await using var registry = await RegistryServer.StartAsync();
        await using var proxy = await FaultProxy.StartAsync(registry.Address, ManifestHead, Fault.TooManyRequestsForAnHour);
        using var client = new RegistryClient(proxy.Address, new RegistryCredentials(RegistryServer.User, registry.Password), new SecretMasker(), _log.Write,
            new RegistryClientOptions { Retry = PushFixture.FastRetries });

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.GetManifestDigestAsync("team/app", "1.0.0"));

        Assert.Equal($"Registry {proxy.Address} answered HEAD http://{proxy.Address}/v2/team/app/manifests/1.0.0 with HTTP 429 Too Many Requests, " +
            "and asks for a pause of 3600 s before another try; try again after that.", error.Message);
        Assert.Single(proxy.Seen, r => r.StartsWith("HEAD ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_web_server_that_answers_404_at_v2_is_named_as_no_registry_with_what_to_check()
    {
        await using var server = await LoopbackWebApp.StartAsync(async context =>
        {
            context.Response.StatusCode = 404;
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<!DOCTYPE HTML>\n<html><body><h1>Error response</h1><p>File not found.</p></body></html>");
        });
        using var client = new RegistryClient(server.Address(), new RegistryCredentials("bob", "pw-404-never-shown"), new SecretMasker(), _log.Write,
            new RegistryClientOptions { Retry = PushFixture.FastRetries });

        var e = await Assert.ThrowsAsync<ContainerException>(() => client.CheckAccessAsync());

        Assert.Contains("HTTP 404", e.Message, StringComparison.Ordinal);
        Assert.Contains("no OCI registry answers at that address", e.Message, StringComparison.Ordinal);
        Assert.Contains("Check the registry's host[:port]", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw-404-never-shown", e.Message, StringComparison.Ordinal);
    }

    // Accepts a blob upload in one PATCH; the PATCH is handed to the test.
    private static Task<WebApplication> UploadRegistryAsync(RequestDelegate patch) => LoopbackWebApp.StartAsync(async context =>
    {
        var session = "/v2/team/app/blobs/uploads/1";
        switch (context.Request.Method)
        {
            case "POST":
                context.Response.StatusCode = 202;
                context.Response.Headers.Location = session;
                break;
            case "PATCH":
                await patch(context);
                context.Response.StatusCode = 202;
                context.Response.Headers.Location = session;
                break;
            default:
                context.Response.StatusCode = 201;
                break;
        }
    });

    [Fact]
    public async Task A_slow_upload_that_keeps_moving_outlasts_the_per_try_timeout()
    {
        var received = 0L;
        var patches = 0;
        await using var registry = await UploadRegistryAsync(async context =>
        {
            Interlocked.Increment(ref patches);
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received = body.Length;
        });
        using var client = new RegistryClient(registry.Address(), null, new SecretMasker(), _log.Write,
            new RegistryClientOptions { Retry = ShortTries, StallTimeout = TimeSpan.FromSeconds(2) });
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // 20 chunks, one every 100 ms: twice the per-try timeout, never silent for as long as the stall timeout.
        await client.UploadBlobAsync("team/app", Digest, () => new TrickleStream(chunks: 20, chunkSize: 4096, TimeSpan.FromMilliseconds(100)));

        Assert.True(clock.Elapsed > ShortTries.AttemptTimeout, $"the upload took only {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(20 * 4096, received);
        Assert.Equal(1, patches);
    }

    [Fact]
    public async Task An_upload_the_registry_stops_taking_fails_as_stalled()
    {
        await using var registry = await UploadRegistryAsync(async context =>
        {
            // The body is left unread and no answer comes, until the client gives up.
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            context.Abort();
        });
        using var client = new RegistryClient(registry.Address(), null, new SecretMasker(), _log.Write,
            new RegistryClientOptions { Retry = ShortTries with { MaxAttempts = 2 }, StallTimeout = TimeSpan.FromSeconds(2) });

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.UploadBlobAsync("team/app", Digest, () => new MemoryStream(new byte[1024])));

        Assert.StartsWith($"Uploading blob {Digest} to registry {registry.Address()} (http://{registry.Address()}/v2/team/app/blobs/uploads/) stalled: no progress for 2 s, after 2 tries.", error.Message, StringComparison.Ordinal);
    }

    // A source that gives its bytes a chunk at a time with a pause before each: a slow link, seen from the sender.
    private sealed class TrickleStream(int chunks, int chunkSize, TimeSpan pause) : Stream
    {
        private int _left = chunks;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_left == 0)
                return 0;
            await Task.Delay(pause, cancellationToken);
            _left--;
            var size = Math.Min(chunkSize, buffer.Length);
            buffer.Span[..size].Fill(7);
            return size;
        }
    }
}
