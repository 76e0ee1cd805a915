namespace CloudAge.Workflows;

/// <summary>The scopes of the <c>GITHUB_TOKEN</c>, written in this order.</summary>
public enum GitHubTokenScope
{
    Actions,
    Checks,
    Contents,
    Deployments,
    Discussions,
    IdToken,
    Issues,
    Packages,
    Pages,
    PullRequests,
    SecurityEvents,
    Statuses,
}

/// <summary>How the jobs of a workflow get AWS credentials (aws-actions/configure-aws-credentials).</summary>
public enum AwsAuthentication
{
    None,
    /// <summary>Assume the role in <see cref="GitHubWorkflowAttribute.AwsRoleArn"/> with GitHub's OIDC token; needs <c>id-token: write</c>.</summary>
    OidcRole,
    /// <summary>The OIDC role when the role variable is set, else the static keys secrets <c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>.</summary>
    OidcRoleOrStaticKeys,
    /// <summary>Only the static keys secrets; for accounts where no OIDC provider can be set up.</summary>
    StaticKeys,
}
