namespace CloudAge.Tools.Validation.Tests.Fixtures;

/// <summary>
/// The options the build passes for this repository (build/Build.Validate.cs, whose own test runs the validator
/// with them over the repository). The library has no defaults of its own, so its tests name them too.
/// </summary>
public static class RepositoryOptions
{
    public static ValidationOptions ThisRepository { get; } = new()
    {
        ManifestFolders = ["k8s", "argocd"],
        IamPolicyFile = "docs/iam-policy.json",
        AllowedIamActions =
        [
            "dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query",
            "s3:PutObject", "s3:GetObject", "s3:ListBucket",
            "bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream",
        ],
    };

    public static ManifestValidator Validator(Action<string>? log = null) => new(ThisRepository, log);
}
