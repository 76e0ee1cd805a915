using System.Diagnostics;
using CloudAge.Tools.Validation.Checks;
using CloudAge.Tools.Validation.Files;
using CloudAge.Tools.Validation.Iam;

namespace CloudAge.Tools.Validation;

/// <summary>
/// Checks the Kubernetes and Argo CD manifests and the pod role's IAM policy the way the API server, Argo CD and
/// a reviewer would, and returns every problem as a <see cref="Finding"/> with file, line and column.
/// </summary>
/// <param name="options">The folders, IAM policy file and allowed IAM actions of the repository.</param>
/// <param name="log">Receives one summary line per run; pass <c>null</c> for silence.</param>
public sealed class ManifestValidator(ValidationOptions options, Action<string>? log = null)
{
    /// <summary>The rules file at the repository root that switches rules off by id, each with a reason.</summary>
    public const string ConfigFileName = "validate.config.yaml";

    /// <summary>Validates everything under <paramref name="repositoryRoot"/>; no finding means the manifests are good.</summary>
    /// <param name="configFile">The rules file, absolute or relative to the root; defaults to <see cref="ConfigFileName"/>. A missing file turns every rule on.</param>
    public IReadOnlyList<Finding> Validate(string repositoryRoot, string? configFile = null)
    {
        var clock = Stopwatch.StartNew();
        var root = Path.GetFullPath(repositoryRoot);
        var findings = new FindingList();
        var files = new RepositoryFiles(root, findings);
        var configPath = Path.GetFullPath(Path.Combine(root, configFile ?? ConfigFileName));
        var config = ValidationConfig.Load(files, configPath, Path.GetRelativePath(root, configPath).Replace('\\', '/'), findings);

        var documents = KustomizeNamespace.Apply(DocumentLoader.Load(files, options.ManifestFolders, findings, out var unreadable), root);
        var context = new CheckContext(root, documents, findings);
        if (!unreadable)
        {
            // With a file unread, every reference into it would be reported as missing: noise that hides the real error.
            SelectorChecks.Run(context);
            ObjectReferenceChecks.Run(context);
            NamespaceCheck.Run(context);
            PathChecks.Run(context);
            AvailabilityChecks.Run(context);
            NetworkPolicyCheck.Run(context);
            ArgoCdProjectChecks.Run(context);
            AwsLoadBalancingChecks.Run(context);
        }

        ProbeChecks.Run(context);
        ContainerPolicyChecks.Run(context);
        RolloutChecks.Run(context);
        ApiValidationChecks.Run(context);
        SecurityChecks.Run(context);
        PodSecurityChecks.Run(context);
        SecretValueChecks.Run(context);
        if (options.IamPolicyFile is { } policy)
        {
            IamPolicyCheck.Run(files, policy, options.AllowedIamActions.Concat(config.ExtraIamActions), findings);
        }

        var result = findings.Items
            .Where(f => !config.Disabled.ContainsKey(f.RuleId))
            .OrderBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Line).ThenBy(f => f.Column)
            .ToList();
        var suppressed = findings.Items.Count - result.Count;
        log?.Invoke($"Validated {documents.Count} manifests{(options.IamPolicyFile is { } file ? $" and {file}" : "")} in {clock.ElapsedMilliseconds} ms: {result.Count} finding(s)" +
            (suppressed > 0 ? $", {suppressed} suppressed by {string.Join(", ", config.Disabled.Keys)}" : "") +
            (unreadable ? "; reference checks skipped until every file parses" : ""));
        return result;
    }
}
