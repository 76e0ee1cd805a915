using System.Collections.Concurrent;
using CloudAge.Common.Secrets;
using CloudAge.Tools.Container.Registry;
using CloudAge.Tools.Container.Tests.Fixtures;
using Microsoft.AspNetCore.Http;

namespace CloudAge.Tools.Container.Tests.Registry;

/// <summary>
/// What registries other than the distribution 2.8 that runs here answer, and the client must take: loopback stand-ins,
/// each modelling one registry's behaviour from its source, named beside it.
/// </summary>
public sealed class RegistryDialectTests
{
    private const string Digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

    private readonly Log _log = new();

    [Fact]
    public async Task Harbor_session_cookies_are_not_sent_back_so_an_upload_needs_no_CSRF_token()
    {
        var cookies = new ConcurrentQueue<string>();
        // Harbor may set its session cookie 'sid' on any answer; a request under /v2/ that carries it is a session's, and
        // then POST, PUT, PATCH and DELETE need X-Harbor-CSRF-Token (goharbor/harbor src/server/middleware/session/session.go,
        // csrf/csrf.go: csrfSkipper skips /v2/ only without a session; the failure is 403 FORBIDDEN "CSRF token invalid").
        await using var harbor = await LoopbackWebApp.StartAsync(async context =>
        {
            var request = context.Request;
            cookies.Enqueue($"{request.Method} {request.Headers.Cookie}".Trim());
            context.Response.Headers.SetCookie = "sid=5e3c0f1d2a4b6c8d; Path=/; HttpOnly";
            if (request.Cookies.ContainsKey("sid") && request.Method is "POST" or "PUT" or "PATCH" or "DELETE" && !request.Headers.ContainsKey("X-Harbor-CSRF-Token"))
            {
                context.Response.StatusCode = 403;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("""{"errors":[{"code":"FORBIDDEN","message":"CSRF token invalid"}]}""");
                return;
            }
            switch (request.Method)
            {
                case "HEAD":
                    context.Response.StatusCode = 404;
                    break;
                case "POST" or "PATCH":
                    await request.Body.CopyToAsync(Stream.Null);
                    context.Response.StatusCode = 202;
                    context.Response.Headers.Location = "/v2/team/app/blobs/uploads/1";
                    break;
                default:
                    context.Response.StatusCode = 201;
                    break;
            }
        });
        using var client = new RegistryClient(harbor.Address(), null, new SecretMasker(), _log.Write, new RegistryClientOptions { Retry = PushFixture.FastRetries });

        Assert.False(await client.BlobExistsAsync("team/app", Digest));
        await client.UploadBlobAsync("team/app", Digest, () => new MemoryStream([1, 2, 3]));

        Assert.Equal(["HEAD", "POST", "PATCH", "PUT"], cookies);
    }
}
