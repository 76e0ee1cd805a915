using System.Text.Json;
using System.Text.RegularExpressions;
using CloudAge.Tools.Validation.Files;
using CloudAge.Tools.Validation.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Validation.Iam;

/// <summary>
/// Least privilege for the pod role's policy. JSON validity comes from System.Text.Json; positions of fields come
/// from reading the same text as YAML (JSON is YAML's flow syntax), which gives every node a line and column.
/// </summary>
internal static partial class IamPolicyCheck
{
    public static void Run(RepositoryFiles files, string file, IEnumerable<string> allowedActions, FindingList findings)
    {
        if (files.Single(file, out var missing) is not { } fullPath)
        {
            if (missing)
            {
                findings.Add(file, 1, 1, RuleIds.IamJson, "the pod role's IAM policy is missing; the role is created from this file");
            }

            return;
        }

        var text = File.ReadAllText(fullPath);
        try
        {
            using var _ = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            // BytePositionInLine counts bytes; the policy is ASCII in practice, so it is the column.
            findings.Add(file, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1, RuleIds.IamJson,
                $"is not valid JSON: {e.Message.Split(" LineNumber", 2)[0]}");
            return;
        }

        YamlNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text.Replace('\t', ' ')));
            root = stream.Documents[0].RootNode;
        }
        catch (YamlException e)
        {
            findings.Add(file, e.Start, RuleIds.IamJson, $"repeats a key or cannot be read: {e.Message}");
            return;
        }

        var allowed = allowedActions.ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (root.At("Version").Text() != "2012-10-17")
        {
            findings.Add(file, root.Nearest("Version"), RuleIds.IamVersion,
                $"Version is \"{root.At("Version").Text() ?? "(missing)"}\"; use \"2012-10-17\", without which policy variables do not work");
        }

        var statements = root.At("Statement") switch
        {
            YamlSequenceNode list => list.Children.ToList(),
            YamlMappingNode single => [single],
            _ => [],
        };
        if (statements.Count == 0)
        {
            findings.Add(file, root.Nearest("Statement"), RuleIds.IamJson, "has no Statement");
        }

        var sids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var statement in statements)
        {
            CheckStatement(statement, file, allowed, sids, findings);
        }
    }

    private static void CheckStatement(YamlNode statement, string file, HashSet<string> allowed, HashSet<string> sids, FindingList findings)
    {
        var sid = statement.At("Sid").Text();
        if (string.IsNullOrEmpty(sid) || !SidPattern().IsMatch(sid))
        {
            findings.Add(file, statement.Nearest("Sid"), RuleIds.IamSid, $"a statement needs a Sid of letters and digits (found \"{sid ?? "(none)"}\") so reviews and CloudTrail can name it");
        }
        else if (!sids.Add(sid))
        {
            findings.Add(file, statement.Nearest("Sid"), RuleIds.IamSid, $"Sid {sid} is used by an earlier statement; each statement needs its own");
        }

        // IAM JSON policy reference, Effect: "Valid values for Effect are Allow and Deny. The Effect value is case
        // sensitive." IAM refuses any other value (MalformedPolicyDocument), so the role would never get the policy.
        var effect = statement.At("Effect").Text();
        if (effect is not ("Allow" or "Deny"))
        {
            findings.Add(file, statement.At("Effect") ?? statement, RuleIds.IamJson,
                $"a statement's Effect is \"{effect ?? "(missing)"}\"; IAM takes only \"Allow\" or \"Deny\", spelt so (it is case sensitive)");
        }

        // IAM JSON policy reference, Action and Resource: "Statements must include either an Action or NotAction element"
        // and "either a Resource or a NotResource element"; the policy elements page: a statement cannot use both of a pair.
        CheckPair(statement, "Action", "NotAction", "a statement needs an Action listing what the app calls", file, findings);
        CheckPair(statement, "Resource", "NotResource", "a statement needs a Resource naming the table, bucket or model ARN", file, findings);

        // IAM JSON policy reference, Principal and NotPrincipal: "You cannot use the Principal element in an identity-based
        // policy"; the file is the role's permissions policy, and IAM refuses it (MalformedPolicyDocument: "Has prohibited
        // field Principal", AWS re:Post knowledge-center/iam-principal-policy).
        foreach (var key in new[] { "Principal", "NotPrincipal" })
        {
            if (statement.KeyOf(key) is { } principal)
            {
                findings.Add(file, principal, RuleIds.IamJson,
                    $"a statement has a {key}, which IAM refuses in a role's permissions policy (\"Has prohibited field {key}\"); remove it (who may assume the role belongs in its trust policy)");
            }
        }

        CheckCondition(statement, file, findings);

        // The breadth rules judge what a statement grants. A Deny takes access away whatever it names, so its wildcards
        // and Not* elements only narrow the role. An Allow with NotAction or NotResource grants everything it does not
        // list (IAM JSON policy reference, NotAction: "all of the applicable actions or services that are not listed are
        // allowed if you use the Allow effect"; NotResource likewise).
        if (effect == "Deny")
        {
            return;
        }

        if (statement.KeyOf("NotAction") is { } notAction)
        {
            findings.Add(file, notAction, RuleIds.IamWildcardAction,
                "an Allow with NotAction grants every action of every service except those listed; list the actions the app calls in Action instead");
        }

        if (statement.KeyOf("NotResource") is { } notResource)
        {
            findings.Add(file, notResource, RuleIds.IamWildcardResource,
                "an Allow with NotResource grants the actions on every resource except those listed; name the ARNs in Resource instead");
        }

        foreach (var action in OneOrMany(statement.At("Action")))
        {
            var name = action.Text() ?? "";
            // IAM JSON policy reference, Action: "You can use wildcards (* or ?) as part of the action name."
            if (name.AsSpan().IndexOfAny('*', '?') >= 0)
            {
                findings.Add(file, action, RuleIds.IamWildcardAction, $"action \"{name}\" contains a wildcard; name each action the app calls");
            }
            else if (!allowed.Contains(name))
            {
                findings.Add(file, action, RuleIds.IamAllowedActions,
                    $"action \"{name}\" is not one the app needs ({string.Join(", ", allowed)}); if it now needs it, add it to iamExtraActions in validate.config.yaml");
            }
        }

        foreach (var resource in OneOrMany(statement.At("Resource")))
        {
            if (resource.Text() == "*")
            {
                findings.Add(file, resource, RuleIds.IamWildcardResource, "Resource \"*\" grants the actions on every resource in the account; name the ARN");
            }
            else if (WildcardResourceName(resource.Text() ?? "") is { } what)
            {
                findings.Add(file, resource, RuleIds.IamWildcardResourceName,
                    $"Resource \"{resource.Text()}\" uses a wildcard for {what}, so the actions apply to every one in the account; name it");
            }
        }
    }

    // IAM JSON policy reference, "Condition operators": the string, numeric, date, Bool, BinaryEquals, IP address and
    // ARN operators, each also with ...IfExists, and Null (which takes no IfExists); "Multivalued context keys": the
    // ForAllValues: and ForAnyValue: set operators go before an operator. The grammar ("IAM JSON policy grammar") makes
    // a Condition a map of operators to maps of condition keys to a value or a list of values. IAM refuses anything
    // else at CreatePolicy or PutRolePolicy (MalformedPolicyDocument, "Invalid Condition type"), so the role never
    // gets the policy. Operator names are compared ignoring case, so only a name IAM could not read is reported.
    private static readonly HashSet<string> ConditionOperators = new(
    [
        "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
        "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals",
        "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
        "Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike",
    ], StringComparer.OrdinalIgnoreCase);

    private static void CheckCondition(YamlNode statement, string file, FindingList findings)
    {
        if (statement.KeyOf("Condition") is not { } key)
        {
            return;
        }

        if (statement.At("Condition") is not YamlMappingNode condition)
        {
            findings.Add(file, key, RuleIds.IamJson,
                "a statement's Condition must map operators to keys and values, such as {\"StringEquals\": {\"aws:ResourceTag/app\": \"cloudage\"}}; IAM refuses it otherwise");
            return;
        }

        foreach (var (operatorNode, keys) in condition.Children)
        {
            var name = (operatorNode as YamlScalarNode)?.Value ?? "";
            if (!IsConditionOperator(name))
            {
                findings.Add(file, operatorNode, RuleIds.IamJson,
                    $"condition operator \"{name}\" is not one IAM knows (\"Invalid Condition type\"); use one such as StringEquals, ArnLike, Bool or Null, with ...IfExists or a ForAllValues:/ForAnyValue: prefix where needed");
            }
            else if (keys is not YamlMappingNode map || map.Children.Count == 0
                || map.Children.Values.Any(v => v is not YamlScalarNode && (v is not YamlSequenceNode list || list.Children.Any(c => c is not YamlScalarNode))))
            {
                findings.Add(file, operatorNode, RuleIds.IamJson,
                    $"condition operator \"{name}\" must map condition keys to a value or a list of values, such as {{\"aws:ResourceTag/app\": \"cloudage\"}}; IAM refuses it otherwise");
            }
        }
    }

    internal static bool IsConditionOperator(string name)
    {
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            var set = name[..colon];
            if (!set.Equals("ForAllValues", StringComparison.OrdinalIgnoreCase) && !set.Equals("ForAnyValue", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            name = name[(colon + 1)..];
        }

        if (name.Equals("Null", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        const string IfExists = "IfExists";
        return ConditionOperators.Contains(name.EndsWith(IfExists, StringComparison.OrdinalIgnoreCase) ? name[..^IfExists.Length] : name);
    }

    /// <summary>IAM refuses a statement with neither element of a pair (<c>Action</c>/<c>NotAction</c>, <c>Resource</c>/<c>NotResource</c>) or with both.</summary>
    private static void CheckPair(YamlNode statement, string element, string not, string need, string file, FindingList findings)
    {
        if (statement.At(element) is null && statement.At(not) is null)
        {
            findings.Add(file, statement, RuleIds.IamJson, $"{need}; IAM refuses a statement without {element} or {not}");
        }
        else if (statement.KeyOf(element) is not null && statement.KeyOf(not) is { } second)
        {
            findings.Add(file, second, RuleIds.IamJson, $"a statement has both {element} and {not}, which IAM refuses; keep {element}");
        }
    }

    /// <summary>
    /// What a wildcard stands for when it replaces a whole resource name in an ARN (arn:partition:service:region:account:resource):
    /// the bucket in <c>arn:aws:s3:::*</c>, the table in <c>table/*</c>, the model in <c>foundation-model/*</c>. Null when the
    /// name is given: objects under a named bucket (<c>arn:aws:s3:::bucket/*</c>), a table's indexes (<c>table/t/index/*</c>),
    /// and a wildcard or empty region, which cross-region inference profiles need (<c>arn:aws:bedrock:*::foundation-model/m</c>,
    /// and for a global profile the Region-less <c>arn:aws:bedrock:::foundation-model/m</c>: Bedrock user guide, "Global cross-Region inference").
    /// A partial wildcard (<c>cloudage-*</c>) names a family the author chose, and passes.
    /// </summary>
    internal static string? WildcardResourceName(string arn)
    {
        var parts = arn.Split(':', 6);
        if (parts.Length < 6 || parts[0] != "arn")
        {
            return null;
        }

        var service = parts[2];
        var segments = parts[5].Split('/', ':');
        if (service == "s3")
        {
            return IsOnlyWildcards(segments[0]) ? "the bucket name" : null;
        }

        if (segments.Length == 1)
        {
            return IsOnlyWildcards(segments[0]) ? $"every {service} resource" : null;
        }

        return IsOnlyWildcards(segments[0]) ? $"the {service} resource type"
            : IsOnlyWildcards(segments[1]) ? $"the {segments[0]} name"
            : null;
    }

    private static bool IsOnlyWildcards(string segment) => segment.Length > 0 && segment.All(c => c is '*' or '?');

    private static IEnumerable<YamlNode> OneOrMany(YamlNode? node) =>
        node switch
        {
            YamlSequenceNode list => list.Children,
            YamlScalarNode scalar => [scalar],
            _ => [],
        };

    [GeneratedRegex("^[A-Za-z0-9]+$")]
    private static partial Regex SidPattern();
}
