using CloudAge.Tools.Validation.Tests.Fixtures;

namespace CloudAge.Tools.Validation.Tests;

public sealed class IamResourceTests
{
    private const string Policy = "docs/iam-policy.json";

    [Theory]
    // The region wildcard cross-region inference profiles need, and a model in another partition.
    [InlineData("arn:aws:bedrock:us-east-1::foundation-model/", "arn:aws:bedrock:*::foundation-model/")]
    // A table's indexes, and a family of buckets named by prefix.
    [InlineData("table/cloudage-assignments\"", "table/cloudage-assignments/index/*\"")]
    [InlineData("arn:aws:s3:::cloudage-assets-123456789012\"", "arn:aws:s3:::cloudage-assets-*\"")]
    public void Named_resources_with_a_wildcard_inside_them_pass(string find, string replacement)
    {
        using var repository = new RepositoryCopy().Replace(Policy, find, replacement);

        Assert.Empty(repository.Validate().Select(f => f.ToString()));
    }

    [Fact]
    public void Objects_under_the_named_bucket_are_allowed_by_the_repository_policy()
    {
        using var repository = new RepositoryCopy();

        Assert.Contains("arn:aws:s3:::cloudage-assets-123456789012/*", File.ReadAllText(Path.Combine(repository.Root, Policy)), StringComparison.Ordinal);
        Assert.Empty(repository.Validate());
    }
}
