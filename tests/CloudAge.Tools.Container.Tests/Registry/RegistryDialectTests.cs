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
            await BlobUploadStandIn.AnswerAsync(context);
        });
        using var client = new RegistryClient(harbor.Address(), null, new SecretMasker(), _log.Write, new RegistryClientOptions { Retry = PushFixture.FastRetries });

        Assert.False(await client.BlobExistsAsync("team/app", Digest));
        await client.UploadBlobAsync("team/app", Digest, () => new MemoryStream([1, 2, 3]));

        Assert.Equal(["HEAD", "POST", "PATCH", "PUT"], cookies);
    }

    [Fact]
    public async Task A_public_repository_is_read_without_credentials_through_an_anonymous_token()
    {
        var tokenRequests = new ConcurrentQueue<string>();
        // GHCR and Docker Hub: every /v2/ call needs a Bearer token, and the token service gives one for pulling a public
        // repository to a client that sends no credentials (distribution docs/content/spec/auth/token.md).
        await using var tokens = await LoopbackWebApp.StartAsync(async context =>
        {
            tokenRequests.Enqueue($"{context.Request.QueryString} {context.Request.Headers.Authorization}".Trim());
            await context.Response.WriteAsJsonAsync(new { token = "anonymous-pull-token" });
        });
        await using var registry = await LoopbackWebApp.StartAsync(context =>
        {
            if (context.Request.Headers.Authorization != "Bearer anonymous-pull-token")
            {
                context.Response.StatusCode = 401;
                context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"http://{tokens.Address()}/token\",service=\"ghcr.io\",scope=\"repository:team/app:pull\"";
                return Task.CompletedTask;
            }
            context.Response.Headers["Docker-Content-Digest"] = Digest;
            return Task.CompletedTask;
        });
        using var client = new RegistryClient(registry.Address(), null, new SecretMasker(), _log.Write, new RegistryClientOptions { Retry = PushFixture.FastRetries });

        var digest = await client.GetManifestDigestAsync("team/app", "1.0.0");

        Assert.Equal(Digest, digest);
        Assert.Equal(["?service=ghcr.io&scope=repository%3Ateam%2Fapp%3Apull"], tokenRequests);
    }

    [Fact]
    public async Task A_private_repository_without_credentials_says_to_pass_them_when_the_token_service_refuses()
    {
        await using var tokens = await LoopbackWebApp.StartAsync(async context =>
        {
            context.Response.StatusCode = 401;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}""");
        });
        await using var registry = await LoopbackWebApp.StartAsync(context =>
        {
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"http://{tokens.Address()}/token\",service=\"ghcr.io\"";
            return Task.CompletedTask;
        });
        using var client = new RegistryClient(registry.Address(), null, new SecretMasker(), _log.Write, new RegistryClientOptions { Retry = PushFixture.FastRetries });

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.GetManifestDigestAsync("team/app", "1.0.0"));

        Assert.Equal($"The token service http://{tokens.Address()}/token of registry {registry.Address()} refused a token without credentials " +
            "(HTTP 401 Unauthorized: UNAUTHORIZED: authentication required); the repository is not public, so pass a username and password for the registry.", error.Message);
    }

    [Fact]
    public async Task Of_several_challenges_Bearer_is_taken_and_its_unquoted_and_escaped_parameters_are_read()
    {
        var tokenRequests = new ConcurrentQueue<string>();
        await using var tokens = await LoopbackWebApp.StartAsync(async context =>
        {
            tokenRequests.Enqueue($"{context.Request.QueryString}");
            await context.Response.WriteAsJsonAsync(new { access_token = "issued-token" });
        });
        // RFC 9110 11.6.1: one or more challenges, in one header or several; 11.2: a parameter's value is a token or a
        // quoted-string with backslash escapes. Docker's client takes Bearer first and reads both forms.
        await using var registry = await LoopbackWebApp.StartAsync(context =>
        {
            if (context.Request.Headers.Authorization != "Bearer issued-token")
            {
                context.Response.StatusCode = 401;
                context.Response.Headers.WWWAuthenticate = new(["Basic realm=\"registry, basic\"",
                    $"Bearer realm=\"http://{tokens.Address()}/token\", service=registry.local, scope=\"repository:team/app:pull\\\"s\""]);
                return Task.CompletedTask;
            }
            context.Response.Headers["Docker-Content-Digest"] = Digest;
            return Task.CompletedTask;
        });
        using var client = new RegistryClient(registry.Address(), new RegistryCredentials("ci", "s3cret-password"), new SecretMasker(), _log.Write,
            new RegistryClientOptions { Retry = PushFixture.FastRetries });

        var digest = await client.GetManifestDigestAsync("team/app", "1.0.0");

        Assert.Equal(Digest, digest);
        Assert.Equal(["?service=registry.local&scope=repository%3Ateam%2Fapp%3Apull%22s"], tokenRequests);
    }

    [Fact]
    public async Task A_manifest_HEAD_without_Docker_Content_Digest_is_answered_by_the_digest_of_the_manifest_read()
    {
        var manifest = """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}"""u8.ToArray();
        var asked = new ConcurrentQueue<string>();
        // A registry of an earlier spec version: Docker-Content-Digest was not required on HEAD (distribution-spec spec.md,
        // "Checking if content exists in the registry", implementers note).
        await using var registry = await LoopbackWebApp.StartAsync(async context =>
        {
            asked.Enqueue(context.Request.Method);
            context.Response.ContentType = "application/vnd.oci.image.index.v1+json";
            context.Response.ContentLength = manifest.Length;
            if (context.Request.Method == "GET")
                await context.Response.Body.WriteAsync(manifest);
        });
        using var client = new RegistryClient(registry.Address(), null, new SecretMasker(), _log.Write, new RegistryClientOptions { Retry = PushFixture.FastRetries });

        var digest = await client.GetManifestDigestAsync("team/app", "1.0.0");

        Assert.Equal(CloudAge.Tools.Container.Oci.OciDescriptor.Sha256(manifest), digest);
        Assert.Equal(["HEAD", "GET"], asked);
    }

    [Fact]
    public async Task A_server_that_answers_HEAD_without_a_digest_and_GET_with_a_web_page_is_named_as_no_registry()
    {
        await using var server = await LoopbackWebApp.StartAsync(async context =>
        {
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html>Sign in</html>");
        });
        using var client = new RegistryClient(server.Address(), null, new SecretMasker(), _log.Write, new RegistryClientOptions { Retry = PushFixture.FastRetries });

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.GetManifestDigestAsync("team/app", "1.0.0"));

        Assert.Equal($"Registry {server.Address()} answered HEAD http://{server.Address()}/v2/team/app/manifests/1.0.0 without a Docker-Content-Digest header and GET with text/html, " +
            "not a manifest; it does not look like an OCI distribution registry. Check the registry address.", error.Message);
    }
}
