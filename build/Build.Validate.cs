using CloudAge.Engine;
using CloudAge.Tools.Validation;

namespace CloudAge.Build;

public sealed partial class Build
{
    Target Validate => _ => _
        .Description("Checks k8s/, argocd/, docs/iam-policy.json and the generated workflows; problems as file:line:column: rule: message")
        .Executes(() =>
        {
            var findings = new ManifestValidator(Log.Debug).Validate(RootDirectory, ManifestValidator.ConfigFileName);
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
