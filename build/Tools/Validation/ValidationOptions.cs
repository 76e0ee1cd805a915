namespace CloudAge.Tools.Validation;

/// <summary>
/// What to validate in a repository. The build names its own folders, policy file and the AWS actions its app
/// calls; the validator itself knows no project.
/// </summary>
public sealed record ValidationOptions
{
    /// <summary>Folders whose YAML documents are checked, relative to the repository root (for example <c>k8s</c>, <c>argocd</c>).</summary>
    public required IReadOnlyList<string> ManifestFolders { get; init; }

    /// <summary>The pod role's IAM policy (JSON), relative to the root; <c>null</c> skips the IAM rules.</summary>
    public string? IamPolicyFile { get; init; }

    /// <summary>The actions an Allow statement may grant (<c>iam-allowed-actions</c>); the rules file's <c>iamExtraActions</c> add to them.</summary>
    public IReadOnlyList<string> AllowedIamActions { get; init; } = [];
}
