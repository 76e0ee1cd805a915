using CloudAge.Testing;
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
    public void The_statements_Provision_grants_for_a_global_inference_profile_pass()
    {
        // infra/cloudage.yaml's PodPolicy and BedrockProfileModelPolicy for global.<model>, as docs/eks-setup.md shows
        // them: the profile in the Region, and through it the model in every Region and the Region-less model ARN.
        const string profileStatements = """
            "Sid": "BedrockInferenceProfile",
                  "Effect": "Allow",
                  "Action": ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
                  "Resource": "arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.anthropic.claude-haiku-4-5-20251001-v1:0"
                },
                {
                  "Sid": "BedrockProfileModel",
                  "Effect": "Allow",
                  "Action": ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
                  "Resource": [
                    "arn:aws:bedrock:*::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
                    "arn:aws:bedrock:::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0"
                  ],
                  "Condition": { "StringEquals": { "bedrock:InferenceProfileArn": "arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.anthropic.claude-haiku-4-5-20251001-v1:0" } }
            """;
        var policy = File.ReadAllText(Path.Combine(Prerequisites.RepositoryRoot(), Policy));
        var start = policy.IndexOf("\"Sid\": \"BedrockModel\"", StringComparison.Ordinal);
        var end = policy.IndexOf('}', start);
        using var repository = new RepositoryCopy().Replace(Policy, policy[start..end], profileStatements.Trim() + "\n    ");

        Assert.Contains("arn:aws:bedrock:::foundation-model/", File.ReadAllText(Path.Combine(repository.Root, Policy)), StringComparison.Ordinal);
        Assert.Empty(repository.Validate().Select(f => f.ToString()));
    }

    [Fact]
    public void A_grant_on_every_inference_profile_is_refused()
    {
        using var repository = new RepositoryCopy().Replace(Policy, "::foundation-model/anthropic.claude-3-haiku-20240307-v1:0", ":123456789012:inference-profile/*");

        var finding = Assert.Single(repository.Validate());
        Assert.Equal(RuleIds.IamWildcardResourceName, finding.RuleId);
    }

    [Fact]
    public void Objects_under_the_named_bucket_are_allowed_by_the_repository_policy()
    {
        using var repository = new RepositoryCopy();

        Assert.Contains("arn:aws:s3:::cloudage-assets-123456789012/*", File.ReadAllText(Path.Combine(repository.Root, Policy)), StringComparison.Ordinal);
        Assert.Empty(repository.Validate());
    }
}
