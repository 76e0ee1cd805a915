using System.Collections.Concurrent;
using CloudAge.Common.Secrets;
using CloudAge.Tools.Container.Oci;
using CloudAge.Tools.Container.Pushing;
using CloudAge.Tools.Container.Registry;
using CloudAge.Tools.Container.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CloudAge.Tools.Container.Tests.Registry;

/// <summary>
/// Referrers endpoints that answer neither the spec's 200 nor its 404, as registries in the field do (GHCR has redirected
/// it to github.com, which answered 429; another answers 406): loopback stand-ins, since no such registry runs here.
/// Each holds one artifact under the fallback tag, as a registry without the API does after an attach.
/// </summary>
public sealed class ReferrersEndpointTests
{
    private const string Subject = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string Artifact = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

    private readonly Log _log = new();
    private readonly ConcurrentQueue<string> _requests = new();

    // referrers answers GET /v2/team/app/referrers/<Subject>; the fallback tag holds an index listing Artifact.
    private Task<WebApplication> RegistryAsync(RequestDelegate referrers) => LoopbackWebApp.StartAsync(async context =>
    {
        var path = context.Request.Path.Value!;
        _requests.Enqueue($"{context.Request.Method} {path}");
        if (path == $"/v2/team/app/referrers/{Subject}")
        {
            await referrers(context);
            return;
        }
        if (path == $"/v2/team/app/manifests/{Referrers.FallbackTag(Subject)}")
        {
            context.Response.ContentType = OciMediaTypes.ImageIndex;
            await context.Response.Body.WriteAsync(OciJson.Serialize(new OciIndex([new OciDescriptor(OciMediaTypes.ImageManifest, Artifact, 500) { ArtifactType = OciMediaTypes.CycloneDxJson }])));
            return;
        }
        context.Response.StatusCode = 404;
    });

    private RegistryClient Client(WebApplication registry) =>
        new(registry.Address(), null, new SecretMasker(), _log.Write, new RegistryClientOptions { Retry = PushFixture.FastRetries });

    [Fact]
    public async Task A_referrers_endpoint_redirected_to_another_origin_is_taken_as_no_API_and_the_fallback_tag_is_read()
    {
        var elsewhereAsked = 0;
        await using var elsewhere = await LoopbackWebApp.StartAsync(context =>
        {
            Interlocked.Increment(ref elsewhereAsked);
            context.Response.StatusCode = 429;
            return Task.CompletedTask;
        });
        await using var registry = await RegistryAsync(context =>
        {
            context.Response.StatusCode = 303;
            context.Response.Headers.Location = $"http://{elsewhere.Address()}/login";
            return Task.CompletedTask;
        });
        using var client = Client(registry);

        var listed = await new Referrers(client, _log.Write).ListAsync("team/app", Subject);

        Assert.Equal([Artifact], listed.Select(m => m.Digest));
        Assert.Equal(1, elsewhereAsked);
        Assert.Contains(_log.Lines, l => l == $"Registry {registry.Address()} answered GET http://{registry.Address()}/v2/team/app/referrers/{Subject} from http://{elsewhere.Address()}, where it redirected, with HTTP 429 Too Many Requests: taken as a registry without the referrers API, so the referrers tag is read instead.");
    }

    [Fact]
    public async Task A_referrers_endpoint_that_answers_406_is_taken_as_no_API_and_the_fallback_tag_is_read()
    {
        await using var registry = await RegistryAsync(async context =>
        {
            context.Response.StatusCode = 406;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"errors":[{"code":"UNSUPPORTED","message":"not acceptable"}]}""");
        });
        using var client = Client(registry);

        var listed = await new Referrers(client, _log.Write).ListAsync("team/app", Subject);

        Assert.Equal([Artifact], listed.Select(m => m.Digest));
        Assert.Contains(_log.Lines, l => l.StartsWith($"Registry {registry.Address()} answered GET http://{registry.Address()}/v2/team/app/referrers/{Subject} with HTTP 406 Not Acceptable: UNSUPPORTED: not acceptable: taken as a registry without the referrers API", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_referrers_answer_without_a_manifests_list_is_an_empty_list_and_no_fallback()
    {
        await using var registry = await RegistryAsync(async context =>
        {
            context.Response.ContentType = OciMediaTypes.ImageIndex;
            await context.Response.WriteAsync($$"""{"schemaVersion":2,"mediaType":"{{OciMediaTypes.ImageIndex}}"}""");
        });
        using var client = Client(registry);

        var listed = await new Referrers(client, _log.Write).ListAsync("team/app", Subject);

        Assert.Empty(listed);
        Assert.DoesNotContain(_requests, r => r.Contains("/manifests/", StringComparison.Ordinal));
    }
}
