using System.Diagnostics;
using CloudAge.Tools.Validation.Checks;
using CloudAge.Tools.Validation.Iam;

namespace CloudAge.Tools.Validation;

/// <summary>
/// Checks the Kubernetes and Argo CD manifests and the pod role's IAM policy the way the API server, Argo CD and
/// a reviewer would, and returns every problem as a <see cref="Finding"/> with file, line and column.
/// </summary>
/// <param name="log">Receives one summary line per run; pass <c>null</c> for silence.</param>
public sealed class ManifestValidator(Action<string>? log = null)
{
    /// <summary>The rules file at the repository root that switches rules off by id, each with a reason.</summary>
    public const string ConfigFileName = "validate.config.yaml";

    /// <summary>The folders whose YAML documents are checked, relative to the repository root.</summary>
    public static IReadOnlyList<string> ManifestFolders { get; } = ["k8s", "argocd"];

    /// <summary>The pod role's IAM policy, relative to the repository root.</summary>
    public const string IamPolicyFile = "docs/iam-policy.json";

    /// <summary>Validates everything under <paramref name="repositoryRoot"/>; no finding means the manifests are good.</summary>
    /// <param name="configFile">The rules file, absolute or relative to the root; defaults to <see cref="ConfigFileName"/>. A missing file turns every rule on.</param>
    public IReadOnlyList<Finding> Validate(string repositoryRoot, string? configFile = null)
    {
        var clock = Stopwatch.StartNew();
        var root = Path.GetFullPath(repositoryRoot);
        var findings = new FindingList();
        var configPath = Path.GetFullPath(Path.Combine(root, configFile ?? ConfigFileName));
        var config = ValidationConfig.Load(configPath, Path.GetRelativePath(root, configPath).Replace('\\', '/'), findings);

        var documents = DocumentLoader.Load(root, ManifestFolders, findings, out var unreadable);
        var context = new CheckContext(root, documents, findings);
        if (!unreadable)
        {
            // With a file unread, every reference into it would be reported as missing: noise that hides the real error.
            SelectorChecks.Run(context);
            ObjectReferenceChecks.Run(context);
            NamespaceCheck.Run(context);
            PathChecks.Run(context);
        }

        ProbeChecks.Run(context);
        ContainerPolicyChecks.Run(context);
        RolloutChecks.Run(context);
        SecurityChecks.Run(context);
        IamPolicyCheck.Run(Path.Combine(root, IamPolicyFile), IamPolicyFile, IamPolicyCheck.ActionsTheAppNeeds.Concat(config.ExtraIamActions), findings);

        var result = findings.Items
            .Where(f => !config.Disabled.ContainsKey(f.RuleId))
            .OrderBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Line).ThenBy(f => f.Column)
            .ToList();
        var suppressed = findings.Items.Count - result.Count;
        log?.Invoke($"Validated {documents.Count} manifests and {IamPolicyFile} in {clock.ElapsedMilliseconds} ms: {result.Count} finding(s)" +
            (suppressed > 0 ? $", {suppressed} suppressed by {string.Join(", ", config.Disabled.Keys)}" : "") +
            (unreadable ? "; reference checks skipped until every file parses" : ""));
        return result;
    }
}
