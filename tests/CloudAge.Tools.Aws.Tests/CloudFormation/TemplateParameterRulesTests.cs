using CloudAge.Tools.Aws.CloudFormation;

namespace CloudAge.Tools.Aws.Tests.CloudFormation;

/// <summary>
/// The template constraints CloudFormation checks at CreateChangeSet (template anatomy, "Parameters"), read from the
/// template: a whole-value pattern for a String and for each value of a CommaDelimitedList, allowed values, lengths, and
/// bounds on numbers.
/// </summary>
public sealed class TemplateParameterRulesTests
{
    private const string Template = """
        AWSTemplateFormatVersion: "2010-09-09"
        Parameters:
          Name:
            Type: String
            AllowedPattern: "[a-z]+"
            MinLength: 3
            MaxLength: 8
          Subnets:
            Type: CommaDelimitedList
            AllowedPattern: "subnet-[0-9a-f]+"
          Size:
            Type: Number
            MinValue: 1
            MaxValue: 10
          Tier:
            Type: String
            AllowedValues: [small, large]
            ConstraintDescription: pick small or large.
          Java:
            Type: String
            AllowedPattern: "\\p{javaLowerCase}+"
          Vpc:
            Type: AWS::EC2::VPC::Id
            AllowedPattern: "never-checked"
        Resources:
          Handle:
            Type: AWS::CloudFormation::WaitConditionHandle
            Properties: { Note: !Sub "${AWS::StackName}" }
        """;

    private static readonly IReadOnlyDictionary<string, ParameterRule> Rules = TemplateParameterRules.Read(Template);

    [Theory]
    [InlineData("Name", "abcd", null)]
    [InlineData("Name", "abc1", "the value does not match the AllowedPattern [a-z]+")] // the whole value, not a part of it
    [InlineData("Name", "ab", "the value has 2 characters, outside MinLength 3 and MaxLength 8")]
    [InlineData("Name", "abcdefghi", "the value has 9 characters, outside MinLength 3 and MaxLength 8")]
    [InlineData("Subnets", "subnet-0a, subnet-1b", null)]
    [InlineData("Subnets", "subnet-0a,sg-1b", "a value in the list does not match the AllowedPattern subnet-[0-9a-f]+")]
    [InlineData("Size", "10", null)]
    [InlineData("Size", "2.5", null)]
    [InlineData("Size", "11", "the value is outside MinValue 1 and MaxValue 10")]
    [InlineData("Size", "ten", "the value is not a number")]
    [InlineData("Tier", "large", null)]
    [InlineData("Tier", "Large", "the value is not one of the AllowedValues small, large (pick small or large)")] // case counts
    [InlineData("Java", "anything", null)] // a Java-only pattern .NET cannot read is left to CloudFormation
    [InlineData("Vpc", "vpc-123", null)] // AllowedPattern applies to String and CommaDelimitedList only
    public void A_value_is_judged_as_CloudFormation_judges_it(string parameter, string value, string? violation)
    {
        Assert.Equal(violation, Rules[parameter].Violation(value));
    }

    [Fact]
    public void A_template_that_cannot_be_read_here_has_no_rules_and_CloudFormation_says_why()
    {
        Assert.Empty(TemplateParameterRules.Read("Parameters: [unclosed"));
        Assert.Empty(TemplateParameterRules.Read("{}"));
    }

    [Fact]
    public void The_repositorys_template_is_read_with_its_constraints()
    {
        var rules = TemplateParameterRules.Read(File.ReadAllText(Path.Combine(CloudAge.Testing.Prerequisites.RepositoryRoot(), "infra", "cloudage.yaml")));

        Assert.Equal("Number", rules["KeepShaImages"].Type);
        Assert.Null(rules["BedrockModelId"].Violation(rules["BedrockModelId"].Default!));
        Assert.Null(rules["BedrockModelId"].Violation("global.anthropic.claude-haiku-4-5-20251001-v1:0"));
        Assert.NotNull(rules["BedrockModelId"].Violation("arn:aws:bedrock:us-east-1::foundation-model/x"));
    }
}
