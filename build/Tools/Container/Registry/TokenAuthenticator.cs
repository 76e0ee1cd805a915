using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using CloudAge.Common.Resilience;
using CloudAge.Common.Secrets;
using CloudAge.Common.Text;

namespace CloudAge.Tools.Container.Registry;

/// <summary>
/// The distribution token flow: fetch a Bearer token from the challenge's realm, with Basic credentials when held.
/// The token request is retried as registry calls are (<see cref="ContainerRetry"/>), and every way it fails ends in one
/// sentence that names the token service.
/// </summary>
internal sealed partial class TokenAuthenticator(HttpClient http, RegistryCredentials? credentials, SecretMasker masker, RetryPolicy retry, Action<string> log)
{
    public async Task<AuthenticationHeaderValue> AuthorizeAsync(AuthenticationHeaderValue challenge, string? scope, Uri registry, CancellationToken cancellationToken)
    {
        var parameters = new Dictionary<string, string>();
        foreach (Match m in ChallengeParameter().Matches(challenge.Parameter ?? ""))
            parameters.TryAdd(m.Groups["key"].Value.ToLowerInvariant(), m.Groups["quoted"].Success ? Unescape().Replace(m.Groups["quoted"].Value, "$1") : m.Groups["token"].Value);
        if (!parameters.TryGetValue("realm", out var realm))
            throw new ContainerException($"Registry {registry.Authority} asked for a Bearer token without naming a realm to get it from.");
        var query = new List<string>();
        if (parameters.TryGetValue("service", out var service))
            query.Add("service=" + Uri.EscapeDataString(service));
        if ((parameters.GetValueOrDefault("scope") ?? scope) is { } wanted)
            query.Add("scope=" + Uri.EscapeDataString(wanted));
        var uri = new UriBuilder(Realm(realm, registry)) { Query = string.Join('&', query) }.Uri;

        var body = await RequestAsync(uri, registry, cancellationToken).ConfigureAwait(false);
        var token = Token(body)
            ?? throw new ContainerException(masker.Redact(
                $"{TokenService(uri, registry)} answered without a token ('{PeerText.OneLine(body, 200)}'); check that the realm the registry names is its token service (a proxy or sign-in page may be answering)."));
        masker.Add(token);
        return new AuthenticationHeaderValue("Bearer", token);
    }

    // The registry chooses where the credentials go: only to an http(s) address, and never in the clear from an https registry.
    private static Uri Realm(string realm, Uri registry)
    {
        if (!Uri.TryCreate(realm, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            throw new ContainerException($"Registry {registry.Authority} names '{PeerText.OneLine(realm, 100)}' as its token service, which is not an http(s) address; check the registry address.");
        if (registry.Scheme == Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttps)
            throw new ContainerException($"Registry {registry.Authority} names a plain http token service ({uri.GetLeftPart(UriPartial.Authority)}); the credentials are not sent there, since they would travel unencrypted. Check the registry's token realm, or the registry address.");
        return uri;
    }

    private static string? Token(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return null;
            foreach (var name in (string[])["token", "access_token"])
            {
                if (document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } token)
                    return token;
            }
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string TokenService(Uri uri, Uri registry) => $"The token service {uri.GetLeftPart(UriPartial.Path)} of registry {registry.Authority}";

    // RFC 9110 11.2: auth-param = token BWS "=" BWS ( token / quoted-string ), a quoted-string escaping with a backslash;
    // Docker's parser takes both forms (distribution v2.8 registry/client/auth/challenge/authchallenge.go, expectTokenOrQuoted).
    [GeneratedRegex("""(?:^|,)\s*(?<key>[A-Za-z_][A-Za-z0-9_-]*)\s*=\s*(?:"(?<quoted>(?:[^"\\]|\\.)*)"|(?<token>[^\s",]+))""")]
    private static partial Regex ChallengeParameter();

    [GeneratedRegex("""\\(.)""")]
    private static partial Regex Unescape();
}
