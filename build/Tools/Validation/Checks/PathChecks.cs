using CloudAge.Tools.Validation.Schemas;
using CloudAge.Tools.Validation.Yaml;

namespace CloudAge.Tools.Validation.Checks;

/// <summary>Paths the deployers read must exist: the Argo CD source path, and every kustomization resource.</summary>
internal static class PathChecks
{
    public static void Run(CheckContext context)
    {
        foreach (var application in context.OfKind(ArgoCdApplicationSchema.Kind))
        {
            var sources = application.Root.At("spec", "source") is { } single ? [single] : application.Root.At("spec", "sources").Items();
            foreach (var path in sources.Select(s => s.At("path")).OfType<YamlDotNet.RepresentationModel.YamlNode>())
            {
                var value = path.Text() ?? "";
                if (!IsInside(context.RepositoryRoot, value, out var full) || !Directory.Exists(full))
                {
                    context.Findings.Add(application.File, path, RuleIds.ArgoCdPath,
                        $"Application {application.Name} deploys path \"{value}\", which is not a folder of this repository");
                }
            }
        }

        foreach (var kustomization in context.OfKind(KustomizationSchema.Kind))
        {
            CheckKustomization(kustomization, context);
        }
    }

    private static void CheckKustomization(ManifestDocument kustomization, CheckContext context)
    {
        var folder = Path.GetDirectoryName(kustomization.File) ?? "";
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var resource in kustomization.Root.At("resources").Items())
        {
            var relative = Path.Join(folder, resource.Text() ?? "").Replace('\\', '/');
            listed.Add(Path.GetFullPath(Path.Join(context.RepositoryRoot, relative)));
            if (!IsInside(context.RepositoryRoot, relative, out var full) || !(File.Exists(full) || Directory.Exists(full)))
            {
                context.Findings.Add(kustomization.File, resource, RuleIds.KustomizeResources,
                    $"resource \"{resource.Text()}\" does not exist next to {kustomization.File}");
            }
            else if (SecretIn(relative, context) is { } why)
            {
                context.Findings.Add(kustomization.File, resource, RuleIds.KustomizeSecret,
                    $"resource \"{resource.Text()}\" {why}: every sync would overwrite the real Secret in the cluster with the committed one; remove it from resources and create the Secret with kubectl");
            }
        }

        // A manifest beside the kustomization but not listed is silently not deployed; Secret templates are the
        // intended exception, because deploying a template would overwrite the real Secret.
        var unlisted = context.Documents
            .Where(d => Path.GetDirectoryName(d.File) == folder && d.Kind is not ("Secret" or KustomizationSchema.Kind))
            .Where(d => !listed.Contains(Path.GetFullPath(Path.Join(context.RepositoryRoot, d.File))))
            .GroupBy(d => d.File);
        foreach (var file in unlisted)
        {
            var document = file.First();
            context.Findings.Add(document.File, document.Root, RuleIds.KustomizeResources,
                $"{document.Describe()} is not listed in {kustomization.File} resources, so Argo CD and kubectl apply -k will not deploy it");
        }
    }

    /// <summary>Why a listed resource deploys a Secret, or null: it defines one, or its file name says it is the Secret template.</summary>
    private static string? SecretIn(string relative, CheckContext context)
    {
        if (context.ByFile[relative].FirstOrDefault(d => d.Kind == "Secret") is { } secret)
        {
            return $"defines {secret.Describe()}";
        }

        return Path.GetFileNameWithoutExtension(relative) is "secret" or "secrets" && Path.GetExtension(relative) is ".yaml" or ".yml"
            ? "is the Secret template file"
            : null;
    }

    private static bool IsInside(string root, string relative, out string full)
    {
        var rootFull = Path.GetFullPath(root);
        full = Path.GetFullPath(Path.Join(rootFull, relative));
        return !Path.IsPathRooted(relative) && (full == rootFull || full.StartsWith(rootFull + Path.DirectorySeparatorChar, StringComparison.Ordinal));
    }
}
