using System.Text;
using System.Text.RegularExpressions;
using CloudAge.Tools.Validation.Yaml;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Validation.Checks;

/// <summary>Identity and secrets: IRSA annotations hold role ARNs, and committed Secrets hold only placeholders.</summary>
internal static partial class SecurityChecks
{
    private const string RoleArnAnnotation = "eks.amazonaws.com/role-arn";

    public static void Run(CheckContext context)
    {
        var usedAccounts = context.Workloads
            .Select(w => (w.PodSpec.At("serviceAccountName") ?? w.PodSpec.At("serviceAccount")).Text())
            .ToHashSet(StringComparer.Ordinal);
        foreach (var account in context.OfKind("ServiceAccount"))
        {
            var annotation = account.Root.At("metadata", "annotations", RoleArnAnnotation);
            if (annotation is null && usedAccounts.Contains(account.Name))
            {
                context.Findings.Add(account.File, account.Root.Nearest("metadata", "annotations"), RuleIds.IrsaRoleArn,
                    $"ServiceAccount {account.Name} runs pods but has no {RoleArnAnnotation} annotation, so the pods get no AWS role (IRSA)");
            }
            else if (annotation is not null && !RoleArn().IsMatch(annotation.Text() ?? ""))
            {
                context.Findings.Add(account.File, annotation, RuleIds.IrsaRoleArn,
                    $"{RoleArnAnnotation} is \"{annotation.Text()}\", not an IAM role ARN of the form arn:aws:iam::<12 digits>:role/<name>");
            }
        }

        foreach (var secret in context.OfKind("Secret"))
        {
            CheckSecretValues(secret, context.Findings);
        }
    }

    private static void CheckSecretValues(ManifestDocument secret, FindingList findings)
    {
        var values = secret.Root.At("stringData").Entries().Select(e => (e.Key, e.Value, Text: e.Value.Text()))
            .Concat(secret.Root.At("data").Entries().Select(e => (e.Key, e.Value, Text: Decode(e.Value))));
        foreach (var (key, node, text) in values)
        {
            if (!string.IsNullOrEmpty(text) && !Placeholder().IsMatch(text))
            {
                findings.Add(secret.File, node, RuleIds.SecretPlaceholders,
                    $"Secret {secret.Name} holds a value for {key} that is not a placeholder; commit only values containing REPLACE_ME and create the real Secret with kubectl (docs/eks-setup.md)");
            }
        }
    }

    private static string? Decode(YamlNode node)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(node.Text() ?? ""));
        }
        catch (FormatException)
        {
            return node.Text();
        }
    }

    [GeneratedRegex(@"^arn:aws(-[a-z]+)*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")]
    private static partial Regex RoleArn();

    [GeneratedRegex("REPLACE_ME|PLACEHOLDER|CHANGE_ME", RegexOptions.IgnoreCase)]
    private static partial Regex Placeholder();
}
