using CloudAge.Tools.Aws.Ecr;
using CloudAge.Tools.Container.Registry;

namespace CloudAge.Build.Support;

/// <summary>
/// ECR as a registry provider: ensures the repository (with the requested tag mutability, scan on push), logs in
/// with GetAuthorizationToken. It lives in the build because it joins two tools that must not know each other.
/// </summary>
/// <param name="connect">Opens an ECR client (credentials and region resolved by the caller).</param>
/// <param name="registry">The registry host when given explicitly; else the one GetAuthorizationToken names.</param>
public sealed class EcrRegistryProvider(Func<CancellationToken, Task<EcrClient>> connect, string? registry, Action<string> log) : IRegistryProvider
{
    public async Task<RegistryLogin> LoginAsync(string repository, TagMutability mutability, CancellationToken cancellationToken)
    {
        using var ecr = await connect(cancellationToken);
        var wanted = mutability == TagMutability.Immutable ? EcrTagMutability.Immutable : EcrTagMutability.Mutable;
        // An existing repository keeps its setting: what it is, not what was asked, decides how tags are pushed.
        var existing = await ecr.EnsureRepositoryAsync(repository, wanted, scanOnPush: true, cancellationToken);
        var authorization = await ecr.GetAuthorizationTokenAsync(cancellationToken);
        var host = registry ?? authorization.ProxyEndpoint.Authority;
        log($"Logged in to {host} as {authorization.UserName}; repository {existing.Name} is {existing.TagMutabilityText}.");
        // IMMUTABLE_WITH_EXCLUSION (say, immutable except latest) leaves the excepted tags free to move, and the pusher moves them.
        var immutable = new TagImmutability(existing.TagMutability == EcrTagMutability.Immutable, existing.TagMutabilityExclusions);
        return new RegistryLogin(host, new RegistryCredentials(authorization.UserName, authorization.Password), immutable);
    }
}
