using CloudAge.Testing;
using CloudAge.Tools.Aws.CloudFormation;

namespace CloudAge.Tools.Aws.Tests.CloudFormation;

/// <summary>The names a template builds from the stack name, read from the template, against the services' limits.</summary>
public sealed class StackNameLimitsTests
{
    private static readonly string Template = File.ReadAllText(Path.Combine(Prerequisites.RepositoryRoot(), "infra", "cloudage.yaml"));

    [Fact]
    public void The_repository_template_builds_four_role_names_from_the_stack_name_and_allows_35_characters()
    {
        var names = StackNameLimits.Read(Template);

        Assert.Equal(
            ["${AWS::StackName}-aws-load-balancer-controller", "${AWS::StackName}-github-deploy", "${AWS::StackName}-github-push", "${AWS::StackName}-pod-role"],
            names.Select(n => n.Pattern).Order(StringComparer.Ordinal));
        Assert.All(names, n => Assert.Equal(("IAM role", 64), (n.What, n.MaxLength)));
        // 64 - "-aws-load-balancer-controller".Length (29).
        Assert.Equal(35, names.Min(n => n.MaxStackNameLength));
    }

    [Fact]
    public void A_stack_name_of_35_characters_fits_and_one_of_36_is_refused_naming_the_role_and_the_limit()
    {
        var fits = new string('a', 35);
        var tooLong = "cloudage-" + new string('b', 27);

        Assert.Null(StackNameLimits.Problem(Template, fits));
        var problem = StackNameLimits.Problem(Template, tooLong);

        Assert.NotNull(problem);
        Assert.Equal($"is 36 characters, and the IAM role name {tooLong}-aws-load-balancer-controller the template builds from it (RoleName of " +
            "LoadBalancerControllerRole) would be 65, over the 64 IAM role names may have; the stack name may have at most 35 characters", problem);
    }

    [Fact]
    public void Names_in_Fn_Sub_list_and_JSON_forms_and_in_both_branches_of_an_If_are_read()
    {
        const string json = """
            {"Resources": {
              "Role": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": {"Fn::If": ["C", {"Fn::Sub": ["${AWS::StackName}-a-rather-long-role-name-suffix", {}]}, "fixed"]},
                "Policies": [{"PolicyName": {"Fn::Sub": "${AWS::StackName}-inline"}}]}},
              "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": {"Fn::Sub": "${AWS::StackName}-${AWS::AccountId}"}}},
              "Other": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": {"Fn::Sub": "${AWS::StackName}-${AWS::Region}"}}}
            }}
            """;

        var names = StackNameLimits.Read(json);

        Assert.Equal(["Bucket.BucketName", "Role.Policies.*.PolicyName", "Role.RoleName"], names.Select(n => $"{n.LogicalId}.{n.Property}").Order(StringComparer.Ordinal));
        Assert.Equal(64 - "-a-rather-long-role-name-suffix".Length, names.Single(n => n.Property == "RoleName").MaxStackNameLength);
        Assert.Equal(63 - 13, names.Single(n => n.Property == "BucketName").MaxStackNameLength);
    }

    [Fact]
    public void An_upper_case_stack_name_is_refused_when_it_would_name_an_S3_bucket()
    {
        const string yaml = "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub \"${AWS::StackName}-assets\"\n";

        var problem = StackNameLimits.Problem(yaml, "CloudAge");

        Assert.Equal("has upper-case letters, and the S3 bucket name CloudAge-assets the template builds from it (BucketName of Bucket) must be lower case", problem);
        Assert.Null(StackNameLimits.Problem(yaml, "cloudage"));
    }

    [Fact]
    public void A_template_that_is_not_YAML_has_no_names_to_check()
    {
        Assert.Empty(StackNameLimits.Read("Resources: [unclosed"));
    }
}
