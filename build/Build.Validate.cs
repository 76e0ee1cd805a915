using CloudAge.Engine;
using CloudAge.Tools.Validation;

namespace CloudAge.Build;

public sealed partial class Build
{
    /// <summary>
    /// What Validate checks in this repository: the manifest folders Argo CD and kubectl read, the pod role's policy,
    /// and the AWS actions the app calls (app/: DynamoDB assignments table, S3 assets, Bedrock). A new call in the
    /// app goes here, or in iamExtraActions of validate.config.yaml.
    /// </summary>
    public static ValidationOptions ValidationOptions { get; } = new()
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

    Target Validate => _ => _
        .Description("Checks k8s/, argocd/, docs/iam-policy.json and the generated workflows; problems as file:line:column: rule: message")
        .Executes(() =>
        {
            var findings = new ManifestValidator(ValidationOptions, Log.Debug).Validate(RootDirectory, ManifestValidator.ConfigFileName);
            foreach (var finding in findings)
                ReportProblem(finding.File, finding.Line, finding.Column, $"{finding.RuleId}: {finding.Message}");
            var drifted = CheckWorkflowDrift();
            if (findings.Count > 0 || drifted > 0)
            {
                throw new InvalidOperationException(
                    $"{findings.Count} manifest problem(s) and {drifted} drifted workflow file(s). Fix them, or switch a rule off with a reason in {ManifestValidator.ConfigFileName}"
                    + (drifted > 0 ? "; run ./build.sh GenerateWorkflows and commit the result." : "."));
            }
            Log.Information($"Manifests, Argo CD Application and IAM policy: no problem found; workflows match {nameof(GenerateWorkflows)}'s output.");
        });
}
