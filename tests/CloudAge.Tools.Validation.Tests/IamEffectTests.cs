using CloudAge.Tools.Validation.Tests.Fixtures;

namespace CloudAge.Tools.Validation.Tests;

/// <summary>
/// The breadth rules judge what a statement grants: a Deny takes access away, so its wildcards narrow the role, while
/// an Allow with NotAction or NotResource grants everything it does not list (IAM JSON policy reference: NotAction,
/// NotResource). What IAM refuses outright (Action with NotAction, Resource with NotResource, neither Resource nor
/// NotResource) is iam-json.
/// </summary>
public sealed class IamEffectTests
{
    private const string Policy = "docs/iam-policy.json";
    private const string LastStatementEnd = "foundation-model/anthropic.claude-3-haiku-20240307-v1:0\"\n    }";

    [Theory]
    [InlineData("\"Action\": \"*\",\n      \"Resource\": \"*\"")]
    [InlineData("\"Action\": \"s3:*\",\n      \"Resource\": \"arn:aws:s3:::*\"")]
    [InlineData("\"Action\": [\"s3:Delete*\", \"dynamodb:DeleteTable\"],\n      \"Resource\": \"arn:aws:dynamodb:us-east-1:123456789012:table/*\"")]
    [InlineData("\"NotAction\": [\"s3:GetObject\", \"s3:PutObject\"],\n      \"Resource\": \"arn:aws:s3:::cloudage-assets-123456789012/*\"")]
    [InlineData("\"Action\": \"s3:*\",\n      \"NotResource\": \"arn:aws:s3:::cloudage-assets-123456789012/*\"")]
    public void A_deny_statement_narrows_access_and_is_not_reported_as_broad(string body)
    {
        using var repository = new RepositoryCopy().Replace(Policy, LastStatementEnd, LastStatementEnd + Statement("Deny", body));

        Assert.Empty(repository.Validate().Select(f => f.ToString()));
    }

    [Fact]
    public void An_allow_with_not_action_is_reported_as_granting_every_other_action()
    {
        using var repository = new RepositoryCopy().Replace(Policy, LastStatementEnd,
            LastStatementEnd + Statement("Allow", "\"NotAction\": \"iam:*\",\n      \"Resource\": \"arn:aws:s3:::cloudage-assets-123456789012/*\""));

        var finding = Assert.Single(repository.Validate());

        Assert.Equal((RuleIds.IamWildcardAction, repository.LineOf(Policy, "\"NotAction\"")), (finding.RuleId, finding.Line));
        Assert.Contains("Allow", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_allow_with_not_resource_is_reported_as_granting_every_other_resource()
    {
        using var repository = new RepositoryCopy().Replace(Policy, LastStatementEnd,
            LastStatementEnd + Statement("Allow", "\"Action\": \"s3:GetObject\",\n      \"NotResource\": \"arn:aws:s3:::other-bucket/*\""));

        var finding = Assert.Single(repository.Validate());

        Assert.Equal((RuleIds.IamWildcardResource, repository.LineOf(Policy, "\"NotResource\"")), (finding.RuleId, finding.Line));
    }

    [Fact]
    public void A_single_character_wildcard_in_an_allowed_action_is_a_wildcard()
    {
        using var repository = new RepositoryCopy().Replace(Policy, "\"s3:GetObject\"", "\"s3:GetObjec?\"");

        var finding = Assert.Single(repository.Validate());

        Assert.Equal(RuleIds.IamWildcardAction, finding.RuleId);
    }

    [Theory]
    [InlineData("\"Action\": \"s3:GetObject\",\n      \"NotAction\": \"s3:PutObject\",\n      \"Resource\": \"arn:aws:s3:::cloudage-assets-123456789012/*\"", "\"NotAction\"")]
    [InlineData("\"Action\": \"s3:GetObject\",\n      \"Resource\": \"arn:aws:s3:::cloudage-assets-123456789012/*\",\n      \"NotResource\": \"arn:aws:s3:::other/*\"", "\"NotResource\"")]
    [InlineData("\"Action\": \"s3:GetObject\"", "\"Action\": \"s3:GetObject\"")]
    // The policy is the role's permissions policy, an identity-based policy: IAM refuses a Principal there.
    [InlineData("\"Principal\": {\"AWS\": \"arn:aws:iam::123456789012:root\"},\n      \"Action\": \"s3:GetObject\",\n      \"Resource\": \"arn:aws:s3:::cloudage-assets-123456789012/*\"", "\"Principal\"")]
    public void A_statement_iam_refuses_is_reported_as_iam_json(string body, string marker)
    {
        using var repository = new RepositoryCopy().Replace(Policy, LastStatementEnd, LastStatementEnd + Statement("Deny", body));

        var finding = Assert.Single(repository.Validate());

        Assert.Equal(RuleIds.IamJson, finding.RuleId);
        Assert.True(finding.Line >= repository.LineOf(Policy, "\"DenyExtra\"") - 1 && finding.Line <= repository.LineOf(Policy, marker), finding.ToString());
    }

    [Theory]
    [InlineData("{\"StringEquals\": {\"aws:ResourceTag/app\": \"cloudage\"}}")]
    [InlineData("{\"ForAnyValue:StringLike\": {\"dynamodb:Attributes\": [\"id\", \"name\"]}, \"BoolIfExists\": {\"aws:SecureTransport\": \"true\"}}")]
    [InlineData("{\"Null\": {\"aws:ResourceTag/app\": \"false\"}, \"ArnLike\": {\"bedrock:InferenceProfileArn\": \"arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.x\"}}")]
    [InlineData("{\"stringequals\": {\"aws:ResourceTag/app\": \"cloudage\"}}")]
    public void A_condition_iam_reads_is_not_reported(string condition)
    {
        using var repository = new RepositoryCopy().Replace(Policy, LastStatementEnd, LastStatementEnd + Statement("Deny",
            $"\"Action\": \"s3:DeleteObject\",\n      \"Resource\": \"arn:aws:s3:::cloudage-assets-123456789012/*\",\n      \"Condition\": {condition}"));

        Assert.Empty(repository.Validate().Select(f => f.ToString()));
    }

    [Theory]
    [InlineData("{\"StringEqual\": {\"aws:ResourceTag/app\": \"cloudage\"}}", "\"StringEqual\"", "is not one IAM knows")] // a typo
    [InlineData("{\"NullIfExists\": {\"aws:ResourceTag/app\": \"true\"}}", "\"NullIfExists\"", "is not one IAM knows")] // Null takes no IfExists
    [InlineData("{\"ForEachValue:StringLike\": {\"dynamodb:Attributes\": \"id\"}}", "\"ForEachValue:StringLike\"", "is not one IAM knows")]
    [InlineData("{\"StringEquals\": \"cloudage\"}", "\"StringEquals\"", "must map condition keys")]
    [InlineData("[\"StringEquals\"]", "\"Condition\"", "must map operators to keys")]
    public void A_condition_iam_refuses_is_reported_as_iam_json_at_its_operator(string condition, string marker, string words)
    {
        using var repository = new RepositoryCopy().Replace(Policy, LastStatementEnd, LastStatementEnd + Statement("Allow",
            $"\"Action\": \"s3:GetObject\",\n      \"Resource\": \"arn:aws:s3:::cloudage-assets-123456789012/*\",\n      \"Condition\": {condition}"));

        var finding = Assert.Single(repository.Validate());

        Assert.Equal((RuleIds.IamJson, repository.LineOf(Policy, marker)), (finding.RuleId, finding.Line));
        Assert.Contains(words, finding.Message, StringComparison.Ordinal);
    }

    private static string Statement(string effect, string body) =>
        $",\n    {{\n      \"Sid\": \"{effect}Extra\",\n      \"Effect\": \"{effect}\",\n      {body}\n    }}";
}
