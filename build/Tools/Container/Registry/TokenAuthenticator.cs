using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CloudAge.Common.Secrets;

namespace CloudAge.Tools.Container.Registry;

/// <summary>The distribution token flow: fetch a Bearer token from the challenge's realm, with Basic credentials when held.</summary>
internal sealed partial class TokenAuthenticator(HttpClient http, RegistryCredentials? credentials, SecretMasker masker)
{
    public async Task<AuthenticationHeaderValue> AuthorizeAsync(AuthenticationHeaderValue challenge, string? scope, Uri registry, CancellationToken cancellationToken)
    {
        var parameters = ChallengeParameter().Matches(challenge.Parameter ?? "")
            .ToDictionary(m => m.Groups["key"].Value.ToLowerInvariant(), m => m.Groups["value"].Value);
        if (!parameters.TryGetValue("realm", out var realm))
            throw new ContainerException($"Registry {registry.Authority} asked for a Bearer token without naming a realm to get it from.");
        var query = new List<string>();
        if (parameters.TryGetValue("service", out var service))
            query.Add("service=" + Uri.EscapeDataString(service));
        if ((parameters.GetValueOrDefault("scope") ?? scope) is { } wanted)
            query.Add("scope=" + Uri.EscapeDataString(wanted));
        var uri = new UriBuilder(realm) { Query = string.Join('&', query) }.Uri;

        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (credentials is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}")));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new ContainerException(masker.Redact(
                $"The token service {uri.GetLeftPart(UriPartial.Path)} of registry {registry.Authority} refused a token for user '{credentials?.Username}' ({await RegistryErrors.DescribeAsync(response, cancellationToken).ConfigureAwait(false)}); check the credentials."));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        var token = document.RootElement.TryGetProperty("token", out var t) ? t.GetString()
            : document.RootElement.TryGetProperty("access_token", out var a) ? a.GetString() : null;
        if (string.IsNullOrEmpty(token))
            throw new ContainerException($"The token service {uri.GetLeftPart(UriPartial.Path)} of registry {registry.Authority} answered without a token.");
        masker.Add(token);
        return new AuthenticationHeaderValue("Bearer", token);
    }

    [GeneratedRegex("(?<key>[A-Za-z]+)=\"(?<value>[^\"]*)\"")]
    private static partial Regex ChallengeParameter();
}
