using CloudAge.Common.Resilience;
using CloudAge.Tools.GitOps.Kubernetes;

namespace CloudAge.Tools.GitOps.ArgoCd;

/// <summary>
/// How to reach the Argo CD API server: <paramref name="Server"/> as the argocd CLI takes ARGOCD_SERVER
/// (<c>host[:port]</c>, meaning https, or a full <c>http(s)://</c> URL) and an API token (ARGOCD_AUTH_TOKEN).
/// </summary>
public sealed record ArgoServerOptions(string Server, string Token)
{
    /// <summary>Accept any TLS certificate (the CLI's <c>--insecure</c>); a warning is printed when used.</summary>
    public bool Insecure { get; init; }

    public RetryPolicy Retry { get; init; } = RetryPipeline.Default;

    /// <summary>The base URL the server string names.</summary>
    public Uri BaseAddress => ParseServer(Server);

    // The generated ToString would print the token.
    public override string ToString() => $"Argo CD {BaseAddress}";

    internal static Uri ParseServer(string server)
    {
        var text = server.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
            text = "https://" + text;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw new ArgoCdException($"'{server}' is not an Argo CD server address; give host[:port] (as ARGOCD_SERVER) or an https:// URL.");
        // A path is kept: Argo CD may be served under a root path behind a proxy.
        return new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
    }
}
