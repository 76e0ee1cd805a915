using System.Net;
using System.Text.Json;

namespace CloudAge.Tools.Container.Registry;

/// <summary>Turns a registry's answer (<c>{"errors":[{"code","message"}]}</c>) into one readable sentence.</summary>
internal static class RegistryErrors
{
    public static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // The reason phrase is the peer's text too (any length, control characters allowed by the parser).
        var status = $"HTTP {(int)response.StatusCode} {CloudAge.Common.Text.PeerText.OneLine(response.ReasonPhrase, 100)}".TrimEnd();
        var body = response.Content is null ? "" : await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var errors = Parse(body);
        // What the registry says is printed on one line: its newlines must not forge lines of our log.
        if (errors.Length > 0)
            return $"{status}: {CloudAge.Common.Text.PeerText.OneLine(errors, 600)}";
        body = body.Trim();
        return body.Length == 0 ? status : $"{status}: {CloudAge.Common.Text.PeerText.OneLine(body)}";
    }

    public static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout;

    internal static string Parse(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array)
                return "";
            return string.Join("; ", errors.EnumerateArray().Select(e =>
                $"{(e.TryGetProperty("code", out var code) ? code.ToString() : "ERROR")}: {(e.TryGetProperty("message", out var message) ? message.ToString() : "")}"));
        }
        catch (JsonException)
        {
            return "";
        }
    }
}
