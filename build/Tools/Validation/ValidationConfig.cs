using CloudAge.Tools.Validation.Files;
using CloudAge.Tools.Validation.Yaml;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Validation;

/// <summary>
/// The user-owned rules file: which rules are off (each with a reason) and which extra IAM actions the app
/// needs. A missing file means every rule is on.
/// </summary>
internal sealed record ValidationConfig(IReadOnlyDictionary<string, string> Disabled, IReadOnlyList<string> ExtraIamActions)
{
    public static readonly ValidationConfig Default = new(new Dictionary<string, string>(), []);

    private static readonly string[] Keys = ["disable", "iamExtraActions"];

    public static ValidationConfig Load(RepositoryFiles files, string fullPath, string file, FindingList findings)
    {
        // Read only when it is a regular file in the repository (a FIFO or an outside link is a finding, not a hang).
        if (files.Single(fullPath, out _) is not { } readable)
        {
            return Default;
        }

        fullPath = readable;

        var local = new FindingList();
        var documents = YamlFileReader.Read(fullPath, file, local);
        var rejected = local.Items.Select(f => f with { RuleId = RuleIds.Config, Message = $"{f.RuleId}: {f.Message}" }).ToList();
        foreach (var finding in rejected)
        {
            findings.Add(finding.File, finding.Line, finding.Column, finding.RuleId, finding.Message);
        }

        if (documents.Count == 0 || rejected.Count > 0)
        {
            return Default;
        }

        var root = documents[0].Root;
        if (root is not YamlMappingNode)
        {
            findings.Add(file, root, RuleIds.Config, "must be a mapping with the keys \"disable\" and \"iamExtraActions\"");
            return Default;
        }

        foreach (var (key, _) in root.Entries().Where(e => !Keys.Contains(e.Key)))
        {
            findings.Add(file, root.KeyOf(key)!, RuleIds.Config, $"unknown key \"{key}\"; the keys are \"disable\" and \"iamExtraActions\"");
        }

        foreach (var key in Keys.Where(k => root.At(k) is not (null or YamlSequenceNode or YamlScalarNode { Value: null or "" })))
        {
            findings.Add(file, root.KeyOf(key)!, RuleIds.Config, $"\"{key}\" must be a list");
        }

        return new ValidationConfig(ReadDisabled(root, file, findings), ReadExtraActions(root, file, findings));
    }

    private static List<string> ReadExtraActions(YamlNode root, string file, FindingList findings)
    {
        var actions = new List<string>();
        foreach (var item in root.At("iamExtraActions").Items())
        {
            if (item.Text() is { Length: > 0 } action)
            {
                actions.Add(action);
            }
            else
            {
                findings.Add(file, item, RuleIds.Config, "each iamExtraActions entry is one IAM action, service:Action (- dynamodb:UpdateItem)");
            }
        }

        return actions;
    }

    private static Dictionary<string, string> ReadDisabled(YamlNode root, string file, FindingList findings)
    {
        var disabled = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in root.At("disable").Items())
        {
            var rule = entry.At("rule").Text();
            var reason = entry.At("reason").Text();
            if (entry is not YamlMappingNode)
            {
                findings.Add(file, entry, RuleIds.Config,
                    $"each disable entry is a mapping with a rule and a reason: `- rule: {entry.Text() ?? "min-replicas"}` then `reason: <why this rule does not apply>` on the next line");
            }
            else if (rule is null || !RuleIds.All.ContainsKey(rule))
            {
                findings.Add(file, entry, RuleIds.Config,
                    $"\"{rule ?? "(no rule)"}\" is not a rule id; the ids are listed in docs/validate-rules.md");
            }
            else if (rule == RuleIds.Config)
            {
                findings.Add(file, entry, RuleIds.Config, "the configuration's own checks cannot be switched off");
            }
            else if (string.IsNullOrWhiteSpace(reason))
            {
                findings.Add(file, entry, RuleIds.Config,
                    $"disabling \"{rule}\" needs a reason: add `reason: <why this rule does not apply>` so the next reader knows");
            }
            else
            {
                disabled[rule] = reason;
            }
        }

        return disabled;
    }
}
