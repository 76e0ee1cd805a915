using System.Net.Http.Headers;
using System.Text;
using CloudAge.Common.Resilience;
using CloudAge.Common.Secrets;

namespace CloudAge.Tools.Container.Registry;

/// <summary>Basic credentials for a registry; for ECR the user is <c>AWS</c> and the password comes from GetAuthorizationToken.</summary>
public sealed record RegistryCredentials(string Username, string Password)
{
    // Records print their members; a password must never reach a log through ToString.
    public override string ToString() => $"RegistryCredentials {{ Username = {Username}, Password = *** }}";

    /// <summary>
    /// Gives the masker the password and the Basic value, base64("user:password"): a registry or proxy that echoes the
    /// Authorization header in an error body would otherwise have it printed, since the masker's own base64 variant is
    /// of the password alone. Every holder of credentials calls this, so both are masked wherever they are taken.
    /// </summary>
    public void AddTo(SecretMasker masker)
    {
        ArgumentNullException.ThrowIfNull(masker);
        masker.Add(Password);
        masker.Add(BasicValue);
    }

    /// <summary>The <c>Authorization: Basic</c> header the registry and its token service take.</summary>
    internal AuthenticationHeaderValue Basic() => new("Basic", BasicValue);

    private string BasicValue => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}"));
}

/// <summary>How a <see cref="RegistryClient"/> reaches its registry.</summary>
public sealed record RegistryClientOptions
{
    /// <summary>Transport for tests and proxies; the client owns and disposes it.</summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>Null: plain HTTP for loopback registries (as the Docker engine treats 127.0.0.0/8), HTTPS for every other.</summary>
    public bool? UseHttps { get; init; }

    public RetryPolicy Retry { get; init; } = ContainerRetry.Default;

    /// <summary>
    /// A blob upload try that moves no bytes for this long is stalled: given up and retried, as the engine push is.
    /// It is the only bound on an upload try: the per-try timeout of <see cref="Retry"/> would cut a large layer that
    /// is still moving on a slow link.
    /// </summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
