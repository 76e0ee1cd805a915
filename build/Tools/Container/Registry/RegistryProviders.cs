namespace CloudAge.Tools.Container.Registry;

/// <summary>Whether a tag, once pushed, may move to another digest. Member names are what users type.</summary>
public enum TagMutability
{
    Mutable,
    Immutable,
}

/// <summary>What a push needs to reach a registry, whichever kind it is: the host, the credentials (none: anonymous)
/// and whether tags are immutable there (a tag on another digest is then an error, <c>latest</c> is skipped).</summary>
public sealed record RegistryLogin(string Registry, RegistryCredentials? Credentials, bool ImmutableTags);

/// <summary>
/// One kind of registry (ECR, basic auth, anonymous): prepares the repository if the registry has an API for that,
/// and returns one <see cref="RegistryLogin"/>. The pusher sees only that record and speaks OCI.
/// Registries with a cloud API of their own (ECR) implement this where that API's client is referenced: the build.
/// </summary>
public interface IRegistryProvider
{
    Task<RegistryLogin> LoginAsync(string repository, TagMutability mutability, CancellationToken cancellationToken);
}

/// <summary>A registry with a user name and password (docker-registry, Harbor, GHCR with a token). It has no API to
/// make a tag immutable, so <see cref="TagMutability.Immutable"/> is kept by the pusher: it refuses to move a tag.</summary>
public sealed class BasicAuthRegistryProvider(string registry, RegistryCredentials credentials) : IRegistryProvider
{
    public Task<RegistryLogin> LoginAsync(string repository, TagMutability mutability, CancellationToken cancellationToken) =>
        Task.FromResult(new RegistryLogin(registry, credentials, mutability == TagMutability.Immutable));
}

/// <summary>A registry that takes pushes without credentials (a local docker-registry); immutability as for basic auth.</summary>
public sealed class AnonymousRegistryProvider(string registry) : IRegistryProvider
{
    public Task<RegistryLogin> LoginAsync(string repository, TagMutability mutability, CancellationToken cancellationToken) =>
        Task.FromResult(new RegistryLogin(registry, null, mutability == TagMutability.Immutable));
}
