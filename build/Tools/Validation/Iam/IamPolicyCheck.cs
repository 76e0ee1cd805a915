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

        if (statement.At("NotAction") is { } notAction)
        {
            findings.Add(file, statement.KeyOf("NotAction")!, RuleIds.IamWildcardAction, "NotAction grants every action except those listed; list the actions in Action instead");
        }

        // IAM JSON policy reference, Effect: "Valid values for Effect are Allow and Deny. The Effect value is case
        // sensitive." IAM refuses any other value (MalformedPolicyDocument), so the role would never get the policy.
        var effect = statement.At("Effect").Text();
        if (effect is not ("Allow" or "Deny"))
        {
            findings.Add(file, statement.At("Effect") ?? statement, RuleIds.IamJson,
                $"a statement's Effect is \"{effect ?? "(missing)"}\"; IAM takes only \"Allow\" or \"Deny\", spelt so (it is case sensitive)");
        }

        if (statement.At("Action") is null && statement.At("NotAction") is null)
        {
            findings.Add(file, statement, RuleIds.IamJson, "a statement needs an Action listing what the app calls; IAM refuses a statement without Action or NotAction");
        }

        var isAllow = effect != "Deny";
        foreach (var action in OneOrMany(statement.At("Action")))
        {
            var name = action.Text() ?? "";
            if (name.Contains('*', StringComparison.Ordinal))
            {
                findings.Add(file, action, RuleIds.IamWildcardAction, $"action \"{name}\" contains *; name each action the app calls");
            }
            else if (isAllow && !allowed.Contains(name))
            {
                findings.Add(file, action, RuleIds.IamAllowedActions,
                    $"action \"{name}\" is not one the app needs ({string.Join(", ", allowed)}); if it now needs it, add it to iamExtraActions in validate.config.yaml");
            }
        }

        var resources = OneOrMany(statement.At("Resource")).ToList();
        if (resources.Count == 0)
        {
            findings.Add(file, statement.Nearest("Resource"), RuleIds.IamWildcardResource, "a statement needs a Resource naming the table, bucket or model ARN");
        }

        foreach (var resource in resources)
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

    /// <summary>
    /// What a wildcard stands for when it replaces a whole resource name in an ARN (arn:partition:service:region:account:resource):
    /// the bucket in <c>arn:aws:s3:::*</c>, the table in <c>table/*</c>, the model in <c>foundation-model/*</c>. Null when the
    /// name is given: objects under a named bucket (<c>arn:aws:s3:::bucket/*</c>), a table's indexes (<c>table/t/index/*</c>),
    /// and a wildcard region, which cross-region inference profiles need (<c>arn:aws:bedrock:*::foundation-model/m</c>).
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
