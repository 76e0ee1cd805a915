using CloudAge.Testing;
using CloudAge.Tools.Validation.Tests.Fixtures;

namespace CloudAge.Tools.Validation.Tests;

public sealed class RepositoryManifestsTests
{
    [Fact]
    public void The_repository_manifests_and_iam_policy_pass_with_no_findings()
    {
        var findings = RepositoryOptions.Validator().Validate(Prerequisites.RepositoryRoot());

        Assert.Empty(findings.Select(f => f.ToString()));
    }

    [Fact]
    public void The_deployment_image_carries_a_placeholder_tag_that_BumpTag_can_replace()
    {
        var deployment = File.ReadAllText(Path.Combine(Prerequisites.RepositoryRoot(), "k8s", "deployment.yaml"));

        Assert.Contains("image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/cloudage:0.0.0-placeholder\n", deployment);
    }

    [Fact]
    public void The_validator_logs_one_summary_line()
    {
        var lines = new List<string>();

        RepositoryOptions.Validator(lines.Add).Validate(Prerequisites.RepositoryRoot());

        Assert.Matches(@"^Validated \d+ manifests and docs/iam-policy.json in \d+ ms: 0 finding\(s\)$", Assert.Single(lines));
    }
}
