using CloudAge.Tools.Aws.Ecr;

namespace CloudAge.Tools.Aws.Tests.Ecr;

public sealed class EcrRegistryHostTests
{
    [Theory]
    [InlineData("123456789012.dkr.ecr.us-east-1.amazonaws.com", "123456789012", "us-east-1")]
    [InlineData("123456789012.dkr.ecr.eu-central-1.amazonaws.com/cloudage:sha-abc1234", "123456789012", "eu-central-1")]
    [InlineData("https://210987654321.dkr.ecr.cn-north-1.amazonaws.com.cn", "210987654321", "cn-north-1")]
    [InlineData("123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com:443", "123456789012", "us-gov-west-1")]
    [InlineData("123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu", "123456789012", "eusc-de-east-1")]
    [InlineData("123456789012.dkr.ecr.us-iso-east-1.c2s.ic.gov", "123456789012", "us-iso-east-1")]
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
    [InlineData("123456789012.dkr.ecr.us-east-1.amazonaws.eu")]
    [InlineData("123456789012.dkr.ecr.eusc-de-east-1.amazonaws.com")]
    [InlineData("")]
    public void Other_registries_are_not_ECR(string registry) => Assert.False(EcrRegistryHost.IsEcr(registry));

    [Fact]
    public void Default_endpoints_follow_the_region_and_partition()
    {
        Assert.Equal(new Uri("https://api.ecr.eu-west-1.amazonaws.com/"), AwsEndpoints.EcrApi("eu-west-1"));
        Assert.Equal(new Uri("https://api.ecr.cn-northwest-1.amazonaws.com.cn/"), AwsEndpoints.EcrApi("cn-northwest-1"));
        Assert.Equal(new Uri("https://sts.us-east-2.amazonaws.com/"), AwsEndpoints.Sts("us-east-2"));
    }

    // Every partition AwsRegions.Pattern accepts has its own DNS suffix (botocore data/partitions.json "dnsSuffix"); these are the
    // endpoints botocore 1.43 resolves for each (session.create_client(service, region_name=...).meta.endpoint_url).
    [Theory]
    [InlineData("us-gov-west-1", "https://api.ecr.us-gov-west-1.amazonaws.com/", "https://sts.us-gov-west-1.amazonaws.com/")]
    [InlineData("eusc-de-east-1", "https://api.ecr.eusc-de-east-1.amazonaws.eu/", "https://sts.eusc-de-east-1.amazonaws.eu/")]
    [InlineData("us-iso-east-1", "https://api.ecr.us-iso-east-1.c2s.ic.gov/", "https://sts.us-iso-east-1.c2s.ic.gov/")]
    [InlineData("us-isob-east-1", "https://api.ecr.us-isob-east-1.sc2s.sgov.gov/", "https://sts.us-isob-east-1.sc2s.sgov.gov/")]
    [InlineData("us-isof-south-1", "https://api.ecr.us-isof-south-1.csp.hci.ic.gov/", "https://sts.us-isof-south-1.csp.hci.ic.gov/")]
    [InlineData("eu-isoe-west-1", "https://api.ecr.eu-isoe-west-1.cloud.adc-e.uk/", "https://sts.eu-isoe-west-1.cloud.adc-e.uk/")]
    public void Default_endpoints_of_the_other_partitions_use_their_dns_suffix(string region, string ecr, string sts)
    {
        Assert.True(CloudAge.Tools.Aws.Regions.AwsRegions.IsValid(region));
        Assert.Equal(new Uri(ecr), AwsEndpoints.EcrApi(region));
        Assert.Equal(new Uri(sts), AwsEndpoints.Sts(region));
        Assert.Equal(new Uri(ecr.Replace("api.ecr.", "cloudformation.", StringComparison.Ordinal)), AwsEndpoints.CloudFormation(region));
        Assert.Equal(new Uri(ecr.Replace("api.ecr.", "eks.", StringComparison.Ordinal)), AwsEndpoints.Eks(region));
    }

    [Theory]
    [InlineData("ThrottlingException", "ThrottlingException")]
    [InlineData("ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/", "ThrottlingException")]
    [InlineData("com.amazonaws.ecr#RepositoryNotFoundException", "RepositoryNotFoundException")]
    [InlineData("aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/", "FooError")]
    public void Error_types_lose_their_namespace_and_suffix(string raw, string expected) =>
        Assert.Equal(expected, EcrErrors.NormalizeType(raw));
}
