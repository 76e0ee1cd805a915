using CloudAge.Testing;

namespace CloudAge.Tools.Validation.Tests;

public sealed class DocumentationTests
{
    [Fact]
    public void Every_rule_id_is_documented_in_validate_rules_md()
    {
        var doc = File.ReadAllText(Path.Combine(Prerequisites.RepositoryRoot(), "docs", "validate-rules.md"));

        Assert.Equal(Array.Empty<string>(), RuleIds.All.Keys.Where(id => !doc.Contains($"| `{id}` |")).ToArray());
    }

    [Fact]
    public void Every_placeholder_marked_in_the_manifests_is_listed_in_eks_setup_md()
    {
        var root = Prerequisites.RepositoryRoot();
        var doc = File.ReadAllText(Path.Combine(root, "docs", "eks-setup.md"));
        string[] placeholders =
        [
            "123456789012", "us-east-1", "0.0.0-placeholder", "cloudage-pod-role", "cloudage-assignments",
            "cloudage-assets-123456789012", "anthropic.claude-3-haiku-20240307-v1:0", "internet-facing",
            "https://github.com/your-org/cloudage.git", "REPLACE_ME-not-a-secret",
        ];
        var manifests = string.Concat(Directory.GetFiles(Path.Combine(root, "k8s")).Concat(Directory.GetFiles(Path.Combine(root, "argocd")))
            .Append(Path.Combine(root, "docs", "iam-policy.json")).Select(File.ReadAllText));

        Assert.All(placeholders, p => Assert.Contains(p, manifests));
        Assert.All(placeholders, p => Assert.Contains($"`{p}`", doc));
    }
}
