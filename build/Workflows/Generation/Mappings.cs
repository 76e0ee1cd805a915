namespace CloudAge.Workflows.Generation;

/// <summary>A mapping written as <c>NAME</c> or <c>TARGET=SOURCE</c> in an attribute.</summary>
internal readonly record struct Mapping(string Target, string Source)
{
    public static Mapping Parse(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? new Mapping(text.Trim(), text.Trim()) : new Mapping(text[..equals].Trim(), text[(equals + 1)..].Trim());
    }

    /// <summary><c>job.output</c>, optionally <c>ENV=job.output</c>; the env name defaults to the output in upper snake case.</summary>
    public static (string Env, string Job, string Output) ParseNeedsOutput(string text)
    {
        var mapping = Parse(text);
        var dot = mapping.Source.IndexOf('.', StringComparison.Ordinal);
        var job = dot < 0 ? string.Empty : mapping.Source[..dot];
        var output = dot < 0 ? mapping.Source : mapping.Source[(dot + 1)..];
        var env = text.Contains('=', StringComparison.Ordinal) ? mapping.Target : output.Replace('-', '_').ToUpperInvariant();
        return (env, job, output);
    }
}

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
