using CloudAge.Tools.Aws.Ecr;

namespace CloudAge.Tools.Aws.Tests.Ecr;

public sealed class EcrRegistryHostTests
{
    [Theory]
    [InlineData("123456789012.dkr.ecr.us-east-1.amazonaws.com", "123456789012", "us-east-1")]
    [InlineData("123456789012.dkr.ecr.eu-central-1.amazonaws.com/cloudage:sha-abc1234", "123456789012", "eu-central-1")]
    [InlineData("https://210987654321.dkr.ecr.cn-north-1.amazonaws.com.cn", "210987654321", "cn-north-1")]
    [InlineData("123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com:443", "123456789012", "us-gov-west-1")]
    public void An_ECR_host_gives_its_account_and_region(string registry, string account, string region)
    {
        var parsed = EcrRegistryHost.TryParse(registry, out var host);

        Assert.True(parsed);
        Assert.Equal(account, host!.AccountId);
        Assert.Equal(region, host.Region);
    }

    [Theory]
    [InlineData("127.0.0.1:5000")]
    [InlineData("ghcr.io/owner/cloudage")]
    [InlineData("12345.dkr.ecr.us-east-1.amazonaws.com")]
    [InlineData("123456789012.dkr.ecr.us-east-1.amazonaws.com.evil.example")]
    [InlineData("")]
    public void Other_registries_are_not_ECR(string registry) => Assert.False(EcrRegistryHost.IsEcr(registry));

    [Fact]
    public void Default_endpoints_follow_the_region_and_partition()
    {
        Assert.Equal(new Uri("https://api.ecr.eu-west-1.amazonaws.com/"), AwsEndpoints.EcrApi("eu-west-1"));
        Assert.Equal(new Uri("https://api.ecr.cn-northwest-1.amazonaws.com.cn/"), AwsEndpoints.EcrApi("cn-northwest-1"));
        Assert.Equal(new Uri("https://sts.us-east-2.amazonaws.com/"), AwsEndpoints.Sts("us-east-2"));
    }

    [Theory]
    [InlineData("ThrottlingException", "ThrottlingException")]
    [InlineData("ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/", "ThrottlingException")]
    [InlineData("com.amazonaws.ecr#RepositoryNotFoundException", "RepositoryNotFoundException")]
    [InlineData("aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/", "FooError")]
    public void Error_types_lose_their_namespace_and_suffix(string raw, string expected) =>
        Assert.Equal(expected, EcrErrors.NormalizeType(raw));
}
