namespace CloudAge.Tools.Container.Registry;

/// <summary>Whether a tag, once pushed, may move to another digest. Member names are what users type.</summary>
public enum TagMutability
{
    Mutable,
    Immutable,
}

/// <summary>What a push needs to reach a registry, whichever kind it is: the host, the credentials (none: anonymous)
/// and which tags are immutable there (such a tag on another digest is then an error, <c>latest</c> is skipped).</summary>
public sealed record RegistryLogin(string Registry, RegistryCredentials? Credentials, TagImmutability ImmutableTags);

/// <summary>
/// Which tags a repository refuses to move: every tag or none (<paramref name="Default"/>), except the tags that match
/// one of <paramref name="Exceptions"/>, patterns where <c>*</c> stands for any run of characters (ECR's
/// IMMUTABLE_WITH_EXCLUSION and MUTABLE_WITH_EXCLUSION with their WILDCARD filters, for example immutable except <c>latest</c>).
/// </summary>
public sealed record TagImmutability(bool Default, IReadOnlyList<string> Exceptions)
{
    public static TagImmutability None { get; } = new(false, []);

    public static TagImmutability All { get; } = new(true, []);

    public static TagImmutability Of(TagMutability mutability) => mutability == TagMutability.Immutable ? All : None;

    /// <summary>True when the repository refuses to move <paramref name="tag"/> once it points at an image.</summary>
    public bool Protects(string tag) => Default != Exceptions.Any(pattern => Matches(pattern, tag));

    public override string ToString() => (Default ? "immutable" : "mutable") + (Exceptions.Count == 0 ? "" : $" except {string.Join(", ", Exceptions)}");

    // '*' is any run of characters, every other character itself: ECR's filters allow only [0-9a-zA-Z._*-], so the
    // simple expressions of file names ('?' and '\' have no place in a tag or a filter) match as ECR does.
    private static bool Matches(string pattern, string tag) =>
        System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(pattern, tag, ignoreCase: false);
}

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
        Task.FromResult(new RegistryLogin(registry, credentials, TagImmutability.Of(mutability)));
}

/// <summary>A registry that takes pushes without credentials (a local docker-registry); immutability as for basic auth.</summary>
public sealed class AnonymousRegistryProvider(string registry) : IRegistryProvider
{
    public Task<RegistryLogin> LoginAsync(string repository, TagMutability mutability, CancellationToken cancellationToken) =>
        Task.FromResult(new RegistryLogin(registry, null, TagImmutability.Of(mutability)));
}
