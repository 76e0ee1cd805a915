using CloudAge.Tools.Container.Registry;

namespace CloudAge.Tools.Container.Tests.Registry;

/// <summary>Registries without an API of their own: the login record carries what the user asked for.</summary>
public sealed class RegistryProvidersTests
{
    [Theory]
    [InlineData(TagMutability.Mutable, false)]
    [InlineData(TagMutability.Immutable, true)]
    public async Task Basic_auth_passes_the_credentials_and_keeps_immutability_on_the_client_side(TagMutability mutability, bool immutable)
    {
        var credentials = new RegistryCredentials("ci", "s3cret-basic-password");

        var login = await new BasicAuthRegistryProvider("registry.example.com:5000", credentials).LoginAsync("cloudage", mutability, CancellationToken.None);

        Assert.Equal(new RegistryLogin("registry.example.com:5000", credentials, immutable), login);
        Assert.DoesNotContain("s3cret-basic-password", login.ToString());
    }

    [Fact]
    public async Task Anonymous_sends_no_credentials()
    {
        var login = await new AnonymousRegistryProvider("127.0.0.1:5000").LoginAsync("cloudage", TagMutability.Immutable, CancellationToken.None);

        Assert.Null(login.Credentials);
        Assert.True(login.ImmutableTags);
        Assert.Equal("127.0.0.1:5000", login.Registry);
    }

    [Fact]
    public void Tag_mutability_names_are_the_values_users_type()
    {
        // Parameter values (--tag-mutability, TAG_MUTABILITY) bind by these names; renaming them breaks scripts.
        Assert.Equal(["Mutable", "Immutable"], Enum.GetNames<TagMutability>());
    }
}
