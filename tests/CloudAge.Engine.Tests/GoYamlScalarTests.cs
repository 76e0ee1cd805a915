using CloudAge.Common.Yaml;

namespace CloudAge.Engine.Tests;

/// <summary>go-yaml v2's resolution of plain scalars (gopkg.in/yaml.v2 resolve.go), which kubectl and kustomize use.</summary>
public sealed class GoYamlScalarTests
{
    [Theory]
    [InlineData("1.20", JsonScalar.Number)]
    [InlineData("1234567", JsonScalar.Number)]
    [InlineData("12e4567", JsonScalar.String)] // beyond a double: ParseFloat fails, go-yaml keeps the text
    [InlineData("12e45", JsonScalar.Number)]
    [InlineData("0x1F", JsonScalar.Number)]
    [InlineData("0o17", JsonScalar.Number)]
    [InlineData("0b101", JsonScalar.Number)]
    [InlineData("0128", JsonScalar.Number)] // no octal integer (8), but a YAML-style float
    [InlineData("1_000", JsonScalar.Number)]
    [InlineData("y", JsonScalar.Boolean)]
    [InlineData("Off", JsonScalar.Boolean)]
    [InlineData("yEs", JsonScalar.String)]
    [InlineData("~", JsonScalar.Null)]
    [InlineData("2024-01-31", JsonScalar.String)]
    [InlineData("1.2.3", JsonScalar.String)]
    [InlineData("sha-abc1234", JsonScalar.String)]
    public void A_plain_scalar_resolves_as_go_yaml_v2_resolves_it(string plain, JsonScalar expected) =>
        Assert.Equal(expected, GoYamlScalar.Resolve(plain));
}
