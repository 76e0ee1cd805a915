using System.Collections.Concurrent;
using System.Net;
using System.Text;
using CloudAge.Common.Secrets;
using CloudAge.Tools.Container.Registry;
using CloudAge.Tools.Container.Tests.Fixtures;
using Microsoft.AspNetCore.Http;

namespace CloudAge.Tools.Container.Tests.Registry;

/// <summary>
/// The registry's credentials reach the registry's own origin only, and never show in what is printed: loopback
/// stand-ins for the registry and for the hosts it points at (upload storage, a redirect target, a token service).
/// </summary>
public sealed class CredentialScopeTests
{
    private const string User = "pusher";
    private const string Digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

    // "pusher:" is 7 bytes, not a multiple of 3: the Basic value does not contain the password's own base64.
    private readonly RegistryCredentials _credentials = new(User, "pw-" + Guid.NewGuid().ToString("N"));
    private readonly Log _log = new();

    private string Basic => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{_credentials.Password}"));

    // A registry with htpasswd auth answers a request without credentials with a Basic challenge.
    private static bool Challenged(HttpContext context, string expected)
    {
        if (context.Request.Headers.Authorization == expected)
            return false;
        context.Response.StatusCode = 401;
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"test\"";
        return true;
    }

    [Fact]
    public async Task An_upload_location_on_another_origin_gets_the_layer_but_not_the_registry_credentials()
    {
        var seen = new ConcurrentQueue<string>();
        using var received = new MemoryStream();
        string? storageAddress = null;
        // S3-style storage: the signed location is the authorization, a registry credential is nothing it asks for.
        await using var storage = await LoopbackWebApp.StartAsync(async context =>
        {
            seen.Enqueue($"{context.Request.Method} {context.Request.Headers.Authorization}".Trim());
            await context.Request.Body.CopyToAsync(received);
            context.Response.StatusCode = context.Request.Method == "PUT" ? 201 : 202;
            context.Response.Headers.Location = $"http://{storageAddress}/upload/1?signature=abc";
        });
        storageAddress = storage.Address();
        await using var registry = await LoopbackWebApp.StartAsync(context =>
        {
            if (!Challenged(context, Basic))
            {
                context.Response.StatusCode = 202;
                context.Response.Headers.Location = $"http://{storageAddress}/upload/1?signature=abc";
            }
            return Task.CompletedTask;
        });
        using var client = new RegistryClient(registry.Address(), _credentials, new SecretMasker(), _log.Write, new RegistryClientOptions { Retry = PushFixture.FastRetries });
        byte[] layer = [1, 2, 3, 4, 5];

        await client.UploadBlobAsync("team/app", Digest, () => new MemoryStream(layer));

        Assert.Equal(["PATCH", "PUT"], seen);
        Assert.Equal(layer, received.ToArray());
    }

    [Fact]
    public async Task A_relative_location_from_upload_storage_is_taken_on_that_storage_with_its_query()
    {
        var seen = new ConcurrentQueue<string>();
        // Upload storage elsewhere (the spec: the location "does not necessarily need to be provided by the registry
        // itself") answering its PATCH with a relative Location, which RFC 9110 10.2.2 resolves against that request.
        await using var storage = await LoopbackWebApp.StartAsync(async context =>
        {
            seen.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            await context.Request.Body.CopyToAsync(Stream.Null);
            context.Response.StatusCode = context.Request.Method == "PUT" ? 201 : 202;
            context.Response.Headers.Location = "/upload/1?part=2&signature=def";
        });
        await using var registry = await LoopbackWebApp.StartAsync(context =>
        {
            seen.Enqueue($"{context.Request.Method} registry");
            context.Response.StatusCode = 202;
            context.Response.Headers.Location = $"http://{storage.Address()}/upload/1?signature=abc";
            return Task.CompletedTask;
        });
        using var client = new RegistryClient(registry.Address(), null, new SecretMasker(), _log.Write, new RegistryClientOptions { Retry = PushFixture.FastRetries });

        await client.UploadBlobAsync("team/app", Digest, () => new MemoryStream([1, 2, 3]));

        Assert.Equal(["POST registry", "PATCH /upload/1?signature=abc", $"PUT /upload/1?part=2&signature=def&digest={Uri.EscapeDataString(Digest)}"], seen);
    }

    [Fact]
    public async Task A_registry_that_redirects_cannot_have_the_host_it_redirects_to_choose_the_token_service()
    {
        var tokenRequests = new ConcurrentQueue<string>();
        await using var tokens = await LoopbackWebApp.StartAsync(async context =>
        {
            tokenRequests.Enqueue($"{context.Request.Path} {context.Request.Headers.Authorization}");
            await context.Response.WriteAsJsonAsync(new { token = "token-from-elsewhere" });
        });
        await using var elsewhere = await LoopbackWebApp.StartAsync(context =>
        {
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"http://{tokens.Address()}/token\",service=\"elsewhere\"";
            return Task.CompletedTask;
        });
        await using var registry = await LoopbackWebApp.StartAsync(context =>
        {
            context.Response.StatusCode = 307;
            context.Response.Headers.Location = $"http://{elsewhere.Address()}/v2/";
            return Task.CompletedTask;
        });
        using var client = new RegistryClient(registry.Address(), _credentials, new SecretMasker(), _log.Write, new RegistryClientOptions { Retry = PushFixture.FastRetries });

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.CheckAccessAsync());

        Assert.Empty(tokenRequests);
        Assert.Contains("HTTP 401", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_error_body_that_echoes_the_Authorization_header_is_printed_without_it()
    {
        await using var registry = await LoopbackWebApp.StartAsync(async context =>
        {
            if (Challenged(context, Basic))
                return;
            context.Response.StatusCode = 400;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($$"""{"errors":[{"code":"DENIED","message":"you sent {{context.Request.Headers.Authorization}}"}]}""");
        });
        using var client = new RegistryClient(registry.Address(), _credentials, new SecretMasker(), _log.Write, new RegistryClientOptions { Retry = PushFixture.FastRetries });

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.CheckAccessAsync());

        Assert.Contains("DENIED: you sent Basic ***", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Basic["Basic ".Length..], error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_credentials.Password, error.Message, StringComparison.Ordinal);
    }

    private sealed class HttpsRegistryWithPlainStorage : HttpMessageHandler
    {
        public List<string> Calls { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls.Add($"{request.Method} {request.RequestUri}");
            var response = new HttpResponseMessage(request.Method == HttpMethod.Put ? HttpStatusCode.Created : HttpStatusCode.Accepted) { RequestMessage = request };
            response.Headers.Location = new Uri("http://storage.example.com/upload/1?signature=abc");
            return Task.FromResult(response);
        }
    }

    [Fact]
    public async Task An_https_registry_that_names_a_plain_http_upload_location_is_refused_before_the_layer_is_sent()
    {
        var handler = new HttpsRegistryWithPlainStorage();
        using var client = new RegistryClient("registry.example.com", _credentials, new SecretMasker(), _log.Write, new RegistryClientOptions { Handler = handler });

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.UploadBlobAsync("team/app", Digest, () => new MemoryStream([1, 2, 3])));

        Assert.StartsWith("Registry registry.example.com named an upload location on http://storage.example.com, which is not https", error.Message, StringComparison.Ordinal);
        Assert.Equal(["POST https://registry.example.com/v2/team/app/blobs/uploads/"], handler.Calls);
    }

    [Fact]
    public async Task A_blob_read_redirected_to_storage_on_another_origin_reaches_it_without_the_registry_credentials()
    {
        var atStorage = new ConcurrentQueue<string>();
        byte[] blob = [7, 7, 7];
        var digest = CloudAge.Tools.Container.Oci.OciDescriptor.Sha256(blob);
        // distribution with S3 storage (and ECR) answers a blob GET or HEAD with a redirect to a signed URL, which is the
        // authorization there; S3 refuses a request that carries a second one, and the registry's must not leave it.
        await using var storage = await LoopbackWebApp.StartAsync(async context =>
        {
            atStorage.Enqueue($"{context.Request.Method} {context.Request.QueryString} {context.Request.Headers.Authorization}".Trim());
            context.Response.ContentLength = blob.Length;
            if (context.Request.Method == "GET")
                await context.Response.Body.WriteAsync(blob);
        });
        await using var registry = await LoopbackWebApp.StartAsync(context =>
        {
            if (!Challenged(context, Basic))
            {
                context.Response.StatusCode = 307;
                context.Response.Headers.Location = $"http://{storage.Address()}/blobs/{digest}?X-Amz-Signature=abc";
            }
            return Task.CompletedTask;
        });
        using var client = new RegistryClient(registry.Address(), _credentials, new SecretMasker(), _log.Write, new RegistryClientOptions { Retry = PushFixture.FastRetries });

        Assert.True(await client.BlobExistsAsync("team/app", digest));
        Assert.Equal(blob, await client.GetBlobAsync("team/app", digest));

        Assert.Equal(["HEAD ?X-Amz-Signature=abc", "GET ?X-Amz-Signature=abc"], atStorage);
    }

    [Fact]
    public async Task A_token_that_expires_during_a_push_is_replaced_on_the_registry_401_and_the_push_goes_on()
    {
        var issued = 0;
        var uses = new ConcurrentDictionary<string, int>();
        await using var tokens = await LoopbackWebApp.StartAsync(async context =>
        {
            Assert.Equal(Basic, context.Request.Headers.Authorization);
            await context.Response.WriteAsJsonAsync(new { token = $"token-{Interlocked.Increment(ref issued)}", expires_in = 60 });
        });
        // Each token is good for two requests, then the registry answers as distribution's token access controller does
        // for an expired one: 401 with the challenge and error="invalid_token" (registry/auth/token/accesscontroller.go).
        await using var registry = await LoopbackWebApp.StartAsync(async context =>
        {
            var token = context.Request.Headers.Authorization.ToString();
            if (!token.StartsWith("Bearer token-", StringComparison.Ordinal) || uses.AddOrUpdate(token, 1, (_, n) => n + 1) > 2)
            {
                context.Response.StatusCode = 401;
                context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"http://{tokens.Address()}/token\",service=\"registry\",error=\"invalid_token\"";
                return;
            }
            await BlobUploadStandIn.AnswerAsync(context);
        });
        using var client = new RegistryClient(registry.Address(), _credentials, new SecretMasker(), _log.Write, new RegistryClientOptions { Retry = PushFixture.FastRetries });

        Assert.False(await client.BlobExistsAsync("team/app", Digest));
        await client.UploadBlobAsync("team/app", Digest, () => new MemoryStream([1, 2, 3]));

        // HEAD, POST | PATCH, PUT: a new token after every two requests.
        Assert.Equal(2, issued);
    }
}
