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

        Assert.Equal(("registry.example.com:5000", credentials, immutable), (login.Registry, login.Credentials, login.ImmutableTags.Protects("1.0.0")));
        Assert.DoesNotContain("s3cret-basic-password", login.ToString());
    }

    [Fact]
    public async Task Anonymous_sends_no_credentials()
    {
        var login = await new AnonymousRegistryProvider("127.0.0.1:5000").LoginAsync("cloudage", TagMutability.Immutable, CancellationToken.None);

        Assert.Null(login.Credentials);
        Assert.Equal(TagImmutability.All, login.ImmutableTags);
        Assert.Equal("127.0.0.1:5000", login.Registry);
    }

    [Fact]
    public void Tag_mutability_names_are_the_values_users_type()
    {
        // Parameter values (--tag-mutability, TAG_MUTABILITY) bind by these names; renaming them breaks scripts.
        Assert.Equal(["Mutable", "Immutable"], Enum.GetNames<TagMutability>());
    }

    [Theory]
    [InlineData(true, "latest", false)]
    [InlineData(true, "dev-main", false)]
    [InlineData(true, "dev-", false)] // '*' matches an empty run too
    [InlineData(true, "1.0.0", true)]
    [InlineData(true, "xdev-main", true)]
    [InlineData(true, "release-2026-12", false)]
    [InlineData(true, "release-2026", true)] // the pattern's tail must follow its middle
    [InlineData(false, "latest", true)]
    [InlineData(false, "1.0.0", false)]
    public void Exceptions_give_the_tags_they_match_the_opposite_setting_with_star_for_any_run(bool immutableByDefault, string tag, bool protectedTag)
    {
        var rules = new TagImmutability(immutableByDefault, ["latest", "dev-*", "release-*-12"]);

        Assert.Equal(protectedTag, rules.Protects(tag));
    }
}
