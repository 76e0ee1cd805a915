namespace CloudAge.Workflows.Generation;

/// <summary>Names GitHub gives to expression contexts and to the steps the generator writes.</summary>
internal static class Names
{
    public const string BuildStepId = "build";
    public const string StaticAccessKeyId = "AWS_ACCESS_KEY_ID";
    public const string StaticSecretAccessKey = "AWS_SECRET_ACCESS_KEY";
    /// <summary>
    /// What a workflow_run must be to go on: a success (it fires whatever the upstream concluded), of a push (not a
    /// pull request, whose code a fork controls), from this repository and its default branch (workflow_run runs
    /// with this repository's secrets whoever triggered the upstream run). FACTS section 7.
    /// </summary>
    public const string WorkflowRunTrusted =
        "github.event.workflow_run.conclusion == 'success' && github.event.workflow_run.event == 'push' && " +
        "github.event.workflow_run.head_repository.full_name == github.repository && " +
        "github.event.workflow_run.head_branch == github.event.repository.default_branch";

    public static string PermissionKey(GitHubTokenScope permission) => permission switch
    {
        GitHubTokenScope.IdToken => "id-token",
        GitHubTokenScope.PullRequests => "pull-requests",
        GitHubTokenScope.SecurityEvents => "security-events",
        _ => permission.ToString().ToLowerInvariant(),
    };

    /// <summary>Splits <c>vars.NAME</c> / <c>secrets.NAME</c> into its kind and name; null when it is neither.</summary>
    public static (ReferenceKind Kind, string Name)? ParseReference(string reference)
    {
        if (reference.StartsWith("vars.", StringComparison.Ordinal))
            return (ReferenceKind.Variable, reference["vars.".Length..]);
        if (reference.StartsWith("secrets.", StringComparison.Ordinal))
            return (ReferenceKind.Secret, reference["secrets.".Length..]);
        return null;
    }

    public static string Expression(string inner) => "${{ " + inner + " }}";
}
