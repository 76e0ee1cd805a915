using CloudAge.Common.Resilience;
namespace CloudAge.Tools.Container.Registry;

/// <summary>Basic credentials for a registry; for ECR the user is <c>AWS</c> and the password comes from GetAuthorizationToken.</summary>
public sealed record RegistryCredentials(string Username, string Password)
{
    // Records print their members; a password must never reach a log through ToString.
    public override string ToString() => $"RegistryCredentials {{ Username = {Username}, Password = *** }}";
}

/// <summary>How a <see cref="RegistryClient"/> reaches its registry.</summary>
public sealed record RegistryClientOptions
{
    /// <summary>Transport for tests and proxies; the client owns and disposes it.</summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>Null: plain HTTP for loopback registries (as the Docker engine treats 127.0.0.0/8), HTTPS for every other.</summary>
    public bool? UseHttps { get; init; }

    public RetryPolicy Retry { get; init; } = ContainerRetry.Default;

    /// <summary>A blob upload try that moves no bytes for this long is stalled: given up and retried, as the engine push is.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
