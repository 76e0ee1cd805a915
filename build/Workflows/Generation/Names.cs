namespace CloudAge.Workflows.Generation;

/// <summary>Names GitHub gives to expression contexts and to the steps the generator writes.</summary>
internal static class Names
{
    public const string BuildStepId = "build";
    public const string StaticAccessKeyId = "AWS_ACCESS_KEY_ID";
    public const string StaticSecretAccessKey = "AWS_SECRET_ACCESS_KEY";
    public const string WorkflowRunSuccess = "github.event.workflow_run.conclusion == 'success'";

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
