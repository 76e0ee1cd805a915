using CloudAge.Common.Resilience;
using CloudAge.Common.Secrets;
using CloudAge.Tools.Container.Registry;
using CloudAge.Tools.Container.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CloudAge.Tools.Container.Tests.Registry;

/// <summary>
/// A token service that fails: retried like a registry call when the failure is transient, and otherwise one sentence
/// naming it. Loopback stand-ins for a registry with the Bearer challenge (distribution token spec) and its realm.
/// </summary>
public sealed class TokenServiceTests
{
    private const string Token = "issued-token-value-123";

    private static readonly RetryPolicy FastRetries = PushFixture.FastRetries;

    private readonly Log _log = new();

    private static async Task<WebApplication> RegistryAsync(string tokenService) => await LoopbackWebApp.StartAsync(context =>
    {
        if (context.Request.Headers.Authorization != $"Bearer {Token}")
        {
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"http://{tokenService}/token\",service=\"registry\"";
        }
        return Task.CompletedTask;
    });

    private RegistryClient Client(WebApplication registry) =>
        new(registry.Address(), new RegistryCredentials("pusher", "s3cret-password"), new SecretMasker(), _log.Write, new RegistryClientOptions { Retry = FastRetries });

    [Fact]
    public async Task A_token_service_answering_a_web_page_is_named_in_one_sentence()
    {
        await using var tokens = await LoopbackWebApp.StartAsync(async context =>
        {
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html>\n<body>Sign in to continue</body>\n</html>");
        });
        await using var registry = await RegistryAsync(tokens.Address());
        using var client = Client(registry);

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.CheckAccessAsync());

        Assert.StartsWith($"The token service http://{tokens.Address()}/token of registry {registry.Address()} answered without a token", error.Message, StringComparison.Ordinal);
        Assert.Contains("Sign in to continue", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain("Exception", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_service_answering_503_is_retried_and_its_token_then_used()
    {
        var requests = 0;
        await using var tokens = await LoopbackWebApp.StartAsync(async context =>
        {
            if (Interlocked.Increment(ref requests) == 1)
            {
                context.Response.StatusCode = 503;
                return;
            }
            await context.Response.WriteAsJsonAsync(new { token = Token });
        });
        await using var registry = await RegistryAsync(tokens.Address());
        using var client = Client(registry);

        await client.CheckAccessAsync();

        Assert.Equal(2, requests);
        Assert.Contains(_log.Lines, line => line.StartsWith($"Token service http://{tokens.Address()}/token: try 1 of 3 failed (HTTP 503 Service Unavailable)", StringComparison.Ordinal));
    }
}
