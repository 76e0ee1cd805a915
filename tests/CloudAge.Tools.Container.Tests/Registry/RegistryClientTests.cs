using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CloudAge.Common.Secrets;
using CloudAge.Tools.Container.Registry;
using CloudAge.Tools.Container.Tests.Fixtures;

namespace CloudAge.Tools.Container.Tests.Registry;

/// <summary>
/// The Bearer token challenge flow, against an in-process fake that follows the distribution token spec
/// (no token server runs on this machine; the htpasswd registry answers Basic and is covered by the push tests).
/// </summary>
public class RegistryClientTests
{
    private const string Digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

    private sealed class TokenRegistry(string user, string password, string realm = "https://auth.example.com/token") : HttpMessageHandler
    {
        public List<string> Calls { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = Answer(request);
            // As every real handler does: the client tells whose answer it is by the request it came from.
            response.RequestMessage = request;
            return Task.FromResult(response);
        }

        private HttpResponseMessage Answer(HttpRequestMessage request)
        {
            Calls.Add($"{request.Method} {request.RequestUri!.PathAndQuery} {request.Headers.Authorization?.Scheme}");
            if (request.RequestUri.Host == "auth.example.com")
            {
                var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
                return request.Headers.Authorization?.Parameter == basic
                    ? Json(HttpStatusCode.OK, """{"token":"issued-token-value-123","expires_in":300}""")
                    : Json(HttpStatusCode.Unauthorized, """{"errors":[{"code":"UNAUTHORIZED","message":"bad credentials"}]}""");
            }
            if (request.Headers.Authorization is { Scheme: "Bearer", Parameter: "issued-token-value-123" })
            {
                var found = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
                found.Headers.Add("Docker-Content-Digest", Digest);
                return found;
            }
            var challenge = Json(HttpStatusCode.Unauthorized, """{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}""");
            challenge.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Bearer",
                $"realm=\"{realm}\",service=\"registry.example.com\",scope=\"repository:team/app:pull\""));
            return challenge;
        }

        private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
            new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    }

    [Fact]
    public async Task Bearer_challenge_gets_a_token_from_the_realm_and_retries_with_it()
    {
        var handler = new TokenRegistry("ci", "s3cret-password");
        var masker = new SecretMasker();
        var log = new Log();
        using var client = new RegistryClient("registry.example.com", new RegistryCredentials("ci", "s3cret-password"), masker, log.Write, new RegistryClientOptions { Handler = handler });

        var digest = await client.GetManifestDigestAsync("team/app", "1.0.0");

        Assert.Equal(Digest, digest);
        Assert.Equal([
            "HEAD /v2/team/app/manifests/1.0.0 ",
            "GET /token?service=registry.example.com&scope=repository%3Ateam%2Fapp%3Apull Basic",
            "HEAD /v2/team/app/manifests/1.0.0 Bearer",
        ], handler.Calls);
        Assert.Equal("***", masker.Redact("issued-token-value-123"));
    }

    [Fact]
    public async Task A_refused_token_request_names_the_token_service_and_the_user_but_not_the_password()
    {
        using var client = new RegistryClient("registry.example.com", new RegistryCredentials("ci", "wrong-password"), new SecretMasker(), _ => { },
            new RegistryClientOptions { Handler = new TokenRegistry("ci", "right-password") });

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.GetManifestDigestAsync("team/app", "1.0.0"));

        Assert.Contains("token service https://auth.example.com/token of registry registry.example.com refused a token for user 'ci'", error.Message);
        Assert.Contains("UNAUTHORIZED: bad credentials", error.Message);
        Assert.DoesNotContain("wrong-password", error.ToString());
    }

    [Fact]
    public async Task An_https_registry_whose_token_realm_is_plain_http_gets_no_credentials_sent_there()
    {
        var handler = new TokenRegistry("ci", "s3cret-password", realm: "http://auth.example.com/token");
        using var client = new RegistryClient("registry.example.com", new RegistryCredentials("ci", "s3cret-password"), new SecretMasker(), _ => { },
            new RegistryClientOptions { Handler = handler });

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.GetManifestDigestAsync("team/app", "1.0.0"));

        Assert.StartsWith("Registry registry.example.com names a plain http token service (http://auth.example.com); the credentials are not sent there", error.Message, StringComparison.Ordinal);
        Assert.Equal(["HEAD /v2/team/app/manifests/1.0.0 "], handler.Calls);
    }

    [Fact]
    public async Task A_reason_phrase_with_control_characters_and_a_flood_is_quoted_on_one_bounded_line()
    {
        var reason = "Bad\u001b[2J" + new string('x', 5_000);
        using var client = new RegistryClient("registry.example.com", null, new SecretMasker(), _ => { },
            new RegistryClientOptions { Handler = new AnswerHandler(new HttpResponseMessage(HttpStatusCode.BadRequest) { ReasonPhrase = reason }) });

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.GetManifestDigestAsync("team/app", "1.0.0"));

        Assert.Contains("HTTP 400 Bad\\u001b[2Jxxx", error.Message);
        Assert.DoesNotContain('\u001b', error.Message);
        Assert.True(error.Message.Length < 600, error.Message);
    }

    private sealed class AnswerHandler(HttpResponseMessage answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            answer.RequestMessage = request;
            return Task.FromResult(answer);
        }
    }

    [Fact]
    public void Credentials_never_print_their_password() =>
        Assert.DoesNotContain("hunter2-pass", new RegistryCredentials("u", "hunter2-pass").ToString());

    [Theory]
    [InlineData("127.0.0.1:5000", "http://127.0.0.1:5000/")]
    [InlineData("localhost:5000", "http://localhost:5000/")]
    [InlineData("123456789012.dkr.ecr.eu-west-1.amazonaws.com", "https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/")]
    public void Loopback_registries_are_plain_http_like_the_engine_treats_them(string registry, string address)
    {
        using var client = new RegistryClient(registry, null, new SecretMasker(), _ => { });

        Assert.Equal(address, client.BaseAddress.ToString());
    }
}
