using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Aws.CloudFormation;

/// <summary>
/// The names a template builds from its stack name (<c>RoleName: !Sub "${AWS::StackName}-pod-role"</c>) and the limits
/// the services put on them. CloudFormation checks none of them before it starts: a name one character too long fails
/// its resource mid-create, and the whole stack rolls back minutes later. Read from the template itself, so a renamed
/// or added role is covered without a change here.
/// </summary>
public static partial class StackNameLimits
{
    // The name properties CloudFormation passes to a service as they are, and that service's limit on them:
    //  - IAM CreateRole RoleName: length 1-64, [\w+=,.@-]+; CreatePolicy PolicyName and PutRolePolicy PolicyName: 1-128
    //    (IAM API Reference, CreateRole / CreatePolicy / PutRolePolicy, "Length Constraints"; IAM User Guide, "IAM object
    //    quotas": role names 64 characters, policy names 128).
    //  - S3 bucket names: 3-63 characters, lower-case letters, digits, dots and hyphens (S3 User Guide, "General purpose
    //    bucket naming rules").
    //  - DynamoDB CreateTable TableName: 3-255 characters, [a-zA-Z0-9_.-]+ (DynamoDB API Reference, CreateTable).
    //  - ECR CreateRepository repositoryName: 2-256 characters, lower case only (ECR API Reference, CreateRepository:
    //    (?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*).
    // A stack name is a letter, then letters, digits and hyphens (CloudFormation CreateStack StackName), so only the
    // length and, for S3 and ECR, upper-case letters can break these.
    private static readonly NameRule[] Rules =
    [
        new("AWS::IAM::Role", ["RoleName"], "IAM role", 64, LowerCaseOnly: false),
        new("AWS::IAM::Role", ["Policies", "*", "PolicyName"], "IAM inline policy", 128, LowerCaseOnly: false),
        new("AWS::IAM::ManagedPolicy", ["ManagedPolicyName"], "IAM managed policy", 128, LowerCaseOnly: false),
        new("AWS::IAM::Policy", ["PolicyName"], "IAM inline policy", 128, LowerCaseOnly: false),
        new("AWS::IAM::RolePolicy", ["PolicyName"], "IAM inline policy", 128, LowerCaseOnly: false),
        new("AWS::S3::Bucket", ["BucketName"], "S3 bucket", 63, LowerCaseOnly: true),
        new("AWS::DynamoDB::Table", ["TableName"], "DynamoDB table", 255, LowerCaseOnly: false),
        new("AWS::ECR::Repository", ["RepositoryName"], "ECR repository", 256, LowerCaseOnly: true),
    ];

    private const string StackNameVariable = "${AWS::StackName}";

    /// <summary>Every name in <paramref name="templateBody"/> built from the stack name, with its service's limit.</summary>
    public static IReadOnlyList<DerivedName> Read(string templateBody)
    {
        var names = new List<DerivedName>();
        foreach (var (id, node) in TemplateYaml.Section(templateBody, "Resources").Entries())
        {
            if (node is not YamlMappingNode resource || resource.Child("Type") is not YamlScalarNode { Value: { } type }
                || resource.Child("Properties") is not YamlMappingNode properties)
                continue;
            foreach (var rule in Rules.Where(r => r.ResourceType == type))
            {
                foreach (var value in At(properties, rule.Path))
                {
                    foreach (var pattern in SubStrings(value).Where(p => p.Contains(StackNameVariable, StringComparison.Ordinal)))
                    {
                        // Only names whose other parts are known now: literal text and the account id (12 digits).
                        var rest = pattern.Replace(StackNameVariable, string.Empty, StringComparison.Ordinal).Replace("${AWS::AccountId}", "123456789012", StringComparison.Ordinal);
                        if (rest.Contains("${", StringComparison.Ordinal))
                            continue;
                        names.Add(new DerivedName(((YamlScalarNode)id).Value ?? "?", string.Join('.', rule.Path), rule.What, pattern, rest.Length,
                            Regex.Count(pattern, Regex.Escape(StackNameVariable)), rule.MaxLength, rule.LowerCaseOnly));
                    }
                }
            }
        }
        return names;
    }

    /// <summary>
    /// Why <paramref name="stackName"/> would break a name the template builds from it (what the name would be, its
    /// limit, and the longest stack name that fits), or null when every such name fits.
    /// </summary>
    public static string? Problem(string templateBody, string stackName)
    {
        ArgumentNullException.ThrowIfNull(stackName);
        var names = Read(templateBody);
        if (names.Count == 0)
            return null;
        var longest = names.Min(n => n.MaxStackNameLength);
        var tooLong = names.Where(n => n.LengthWith(stackName) > n.MaxLength).MinBy(n => n.MaxStackNameLength);
        if (tooLong is not null)
            return $"is {stackName.Length} characters, and the {tooLong.What} name {tooLong.With(stackName)} the template builds from it " +
                $"({tooLong.Property} of {tooLong.LogicalId}) would be {tooLong.LengthWith(stackName)}, over the {tooLong.MaxLength} {tooLong.What} names may have; " +
                $"the stack name may have at most {longest} characters";
        var lowerCaseOnly = names.FirstOrDefault(n => n.LowerCaseOnly);
        if (lowerCaseOnly is not null && stackName.Any(char.IsUpper))
            return $"has upper-case letters, and the {lowerCaseOnly.What} name {lowerCaseOnly.With(stackName)} the template builds from it " +
                $"({lowerCaseOnly.Property} of {lowerCaseOnly.LogicalId}) must be lower case";
        return null;
    }

    /// <summary>The values at a property path; <c>*</c> stands for every item of a list.</summary>
    private static IEnumerable<YamlNode> At(YamlNode node, IReadOnlyList<string> path)
    {
        if (path.Count == 0)
            return [node];
        return (path[0], node) switch
        {
            ("*", YamlSequenceNode list) => list.Children.SelectMany(item => At(item, path.Skip(1).ToList())),
            (_, YamlMappingNode map) when map.Child(path[0]) is { } child => At(child, path.Skip(1).ToList()),
            _ => [],
        };
    }

    /// <summary>
    /// The strings a value can become: a plain string, the template of <c>!Sub</c> / <c>Fn::Sub</c> (also in its list
    /// form), and both branches of <c>!If</c> / <c>Fn::If</c>, since either may be taken.
    /// </summary>
    private static IEnumerable<string> SubStrings(YamlNode value)
    {
        var (function, argument) = value switch
        {
            { Tag.IsEmpty: false } when value.Tag.Value.StartsWith('!') => ("Fn::" + value.Tag.Value[1..], value),
            YamlMappingNode { Children.Count: 1 } map when map.Children.First().Key is YamlScalarNode { Value: { } key } && key.StartsWith("Fn::", StringComparison.Ordinal)
                => (key, map.Children.First().Value),
            _ => (null, value),
        };
        return (function, argument) switch
        {
            (null, YamlScalarNode { Value: { } text }) => [text],
            ("Fn::Sub", YamlScalarNode { Value: { } text }) => [text],
            ("Fn::Sub", YamlSequenceNode { Children.Count: > 0 } list) when list.Children[0] is YamlScalarNode { Value: { } text } => [text],
            ("Fn::If", YamlSequenceNode { Children.Count: 3 } list) => SubStrings(list.Children[1]).Concat(SubStrings(list.Children[2])),
            _ => [],
        };
    }

    private sealed record NameRule(string ResourceType, string[] Path, string What, int MaxLength, bool LowerCaseOnly);
}

/// <summary>A name the template builds from the stack name: <see cref="Pattern"/> with <c>${AWS::StackName}</c> in it.</summary>
/// <param name="LogicalId">The resource, e.g. <c>PodRole</c>.</param>
/// <param name="Property">The property that holds the name, e.g. <c>RoleName</c>.</param>
/// <param name="What">What it names, e.g. <c>IAM role</c>.</param>
/// <param name="Pattern">The name as written, e.g. <c>${AWS::StackName}-pod-role</c>.</param>
/// <param name="FixedLength">Its length without the stack name.</param>
/// <param name="StackNameCount">How often the stack name occurs in it.</param>
/// <param name="MaxLength">The service's limit.</param>
/// <param name="LowerCaseOnly">The service takes lower-case names only (S3, ECR).</param>
public sealed record DerivedName(string LogicalId, string Property, string What, string Pattern, int FixedLength, int StackNameCount, int MaxLength, bool LowerCaseOnly)
{
    /// <summary>The longest stack name that keeps this name within <see cref="MaxLength"/>.</summary>
    public int MaxStackNameLength => (MaxLength - FixedLength) / StackNameCount;

    public int LengthWith(string stackName) => FixedLength + (StackNameCount * stackName.Length);

    public string With(string stackName) => Pattern.Replace("${AWS::StackName}", stackName, StringComparison.Ordinal);
}
