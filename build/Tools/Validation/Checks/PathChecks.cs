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
        // kustomize build reads these too, and stops at one that is missing ("accumulating resources ... no such file or
        // directory"): the deprecated bases, components, and the files of patches and patchesStrategicMerge
        // (api/types/kustomization.go; api/internal/target/kusttarget.go).
        var root = kustomization.Root;
        var read = root.At("bases").Items().Select(n => ("base", n))
            .Concat(root.At("components").Items().Select(n => ("component", n)))
            .Concat(root.At("patches").Items().Select(p => p.At("path")).OfType<YamlDotNet.RepresentationModel.YamlNode>().Select(n => ("patch", n)))
            .Concat(root.At("patchesStrategicMerge").Items().Where(n => n.Text() is { } t && !t.Contains('\n', StringComparison.Ordinal)).Select(n => ("patch", n)));
        foreach (var (what, entry) in read)
        {
            var relative = Path.Join(folder, entry.Text() ?? "").Replace('\\', '/');
            if (!IsRemote(entry.Text()) && (!IsInside(context.RepositoryRoot, relative, out var full) || !(File.Exists(full) || Directory.Exists(full))))
            {
                context.Findings.Add(kustomization.File, entry, RuleIds.KustomizeResources,
                    $"{what} \"{entry.Text()}\" does not exist next to {kustomization.File}, so kustomize build (and Argo CD) fails");
            }
        }

        foreach (var resource in root.At("resources").Items())
        {
            var relative = Path.Join(folder, resource.Text() ?? "").Replace('\\', '/');
            listed.Add(Path.GetFullPath(Path.Join(context.RepositoryRoot, relative)));
            if (IsRemote(resource.Text()))
            {
                continue; // fetched by kustomize at build time; nothing to find here
            }
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

    /// <summary>
    /// A remote target kustomize fetches itself: a URL (https://, ssh://, file://), git's scp form (git@host:org/repo),
    /// or a host-led repository path with a ref (github.com/org/repo//path?ref=v1) (kustomize api/internal/git/repospec.go).
    /// </summary>
    private static bool IsRemote(string? entry) =>
        entry is not null && (entry.Contains("://", StringComparison.Ordinal) || entry.StartsWith("git@", StringComparison.Ordinal)
            || entry.Contains("?ref=", StringComparison.Ordinal) || entry.Contains("?version=", StringComparison.Ordinal)
            || entry.StartsWith("github.com/", StringComparison.Ordinal) || entry.StartsWith("gitlab.com/", StringComparison.Ordinal)
            || entry.StartsWith("bitbucket.org/", StringComparison.Ordinal));

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
