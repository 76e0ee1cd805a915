using CloudAge.Workflows.Generation;
using CloudAge.Workflows.Validation;

namespace CloudAge.Workflows;

/// <summary>
/// Generates <c>.github/workflows/*.yml</c> from the workflow attributes of a build: validates them all
/// first, then writes one file per <see cref="GitHubWorkflowAttribute"/>, ordered by name.
/// Knows nothing of the engine: targets and parameters arrive as plain names.
/// </summary>
public static class WorkflowGenerator
{
    public const string WorkflowDirectory = ".github/workflows";

    public static IReadOnlyList<GeneratedFile> Generate(Type buildType, BuildSurface surface) =>
        Generate(WorkflowDefinitions.FromType(buildType), surface);

    /// <exception cref="WorkflowDefinitionException">The attributes describe no valid workflow; the message lists every problem.</exception>
    public static IReadOnlyList<GeneratedFile> Generate(WorkflowDefinitions definitions, BuildSurface surface)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        ArgumentNullException.ThrowIfNull(surface);
        var problems = WorkflowValidator.Validate(definitions, surface);
        if (problems.Count > 0)
            throw new WorkflowDefinitionException(problems, surface.Source);
        return definitions.Workflows
            .OrderBy(w => w.Name, StringComparer.Ordinal)
            .Select(w => new GeneratedFile(
                $"{WorkflowDirectory}/{w.Name}.yml",
                WorkflowBuilder.Build(
                    w,
                    definitions.Jobs.Where(j => j.Workflow == w.Name).ToList(),
                    definitions.Inputs.Where(i => i.Workflow == w.Name).ToList()).Write(surface.Source)))
            .ToList();
    }

    /// <summary>Every secret and repository variable the generated workflows read, by name, with the workflows that read it.</summary>
    public static IReadOnlyList<WorkflowReference> ReferencedSecretsAndVariables(WorkflowDefinitions definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        var references = new List<(string Name, ReferenceKind Kind, string Where, string Workflow)>();
        foreach (var workflow in definitions.Workflows)
        {
            var environments = definitions.Jobs.Where(j => j.Workflow == workflow.Name).Select(j => j.EnvironmentName).Distinct().ToList();
            var where = environments is [{ } environment] ? "environment " + environment : WorkflowReference.Repository;
            references.AddRange(workflow.ImportSecrets.Select(s => (Mapping.Parse(s).Source, ReferenceKind.Secret, where, workflow.Name)));
            references.AddRange(workflow.ImportVariables.Select(v => (Mapping.Parse(v).Source, ReferenceKind.Variable, WorkflowReference.Repository, workflow.Name)));
            var aws = new List<string>();
            if (workflow.AwsAuth is AwsAuthentication.OidcRole or AwsAuthentication.OidcRoleOrStaticKeys)
                aws.Add(workflow.AwsRoleArn);
            if (workflow.AwsAuth is AwsAuthentication.StaticKeys or AwsAuthentication.OidcRoleOrStaticKeys)
                aws.AddRange(["secrets." + Names.StaticAccessKeyId, "secrets." + Names.StaticSecretAccessKey]);
            if (workflow.AwsAuth != AwsAuthentication.None)
                aws.Add(workflow.AwsRegion);
            foreach (var reference in aws.Select(Names.ParseReference).OfType<(ReferenceKind Kind, string Name)>())
                references.Add((reference.Name, reference.Kind, reference.Kind == ReferenceKind.Secret ? where : WorkflowReference.Repository, workflow.Name));
        }
        // Variables are listed as repository variables: they are not secret, and the role switch must see them.
        return references
            .GroupBy(r => (r.Name, r.Kind, r.Where))
            .OrderBy(g => g.Key.Name, StringComparer.Ordinal).ThenBy(g => g.Key.Kind).ThenBy(g => g.Key.Where, StringComparer.Ordinal)
            .Select(g => new WorkflowReference(g.Key.Name, g.Key.Kind, g.Select(r => r.Workflow).Distinct().Order(StringComparer.Ordinal).ToList()) { Where = g.Key.Where })
            .ToList();
    }
}
