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

    /// <summary>Allow an <c>http://</c> server (the CLI's <c>--plaintext</c>): the token then travels in clear.</summary>
    public bool Plaintext { get; init; }

    public RetryPolicy Retry { get; init; } = RetryPipeline.Default;

    /// <summary>The base URL the server string names.</summary>
    public Uri BaseAddress => ParseServer(Server);

    // The generated ToString would print the token.
    public override string ToString() => $"Argo CD {BaseAddress}";

    /// <summary>
    /// Throws <see cref="CloudAge.Common.Errors.InputException"/> when the server is not an address, or is plain http
    /// (the token would travel in clear) without <see cref="Plaintext"/>; a server on this machine cannot be sniffed.
    /// Checked before anything is sent, so a caller can check it before any other work.
    /// </summary>
    public void Validate()
    {
        var address = BaseAddress;
        if (address.Scheme == Uri.UriSchemeHttp && !Plaintext && !address.IsLoopback)
            throw new CloudAge.Common.Errors.InputException(
                $"The Argo CD server {address} (--argocd-server or ARGOCD_SERVER) is plain http, which would send the token unencrypted; give its https:// address, or pass --argocd-plaintext if the connection is protected otherwise.");
    }

    internal static Uri ParseServer(string server)
    {
        var text = server.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
            text = "https://" + text;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw new CloudAge.Common.Errors.InputException($"The Argo CD server '{Shown(server)}' (--argocd-server or ARGOCD_SERVER) is not a server address; give host[:port] or an https:// URL, such as argocd.example.com or https://argocd.example.com:8443.");
        // user:password@ would be sent to nobody (the API takes the token) but printed in every line naming the server.
        if (uri.UserInfo.Length > 0)
            throw new CloudAge.Common.Errors.InputException($"The Argo CD server '{Shown(server)}' (--argocd-server or ARGOCD_SERVER) carries a user name or password; give the address alone, such as argocd.example.com, and the token as ARGOCD_AUTH_TOKEN.");
        // A path is kept: Argo CD may be served under a root path behind a proxy.
        return new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
    }

    // The value as a message may show it: anything before an '@' (user:password) hidden, on one bounded line.
    private static string Shown(string server) =>
        CloudAge.Common.Text.PeerText.OneLine(server.Contains('@', StringComparison.Ordinal) ? "***@" + server[(server.LastIndexOf('@') + 1)..] : server, 200);
}
