using CloudAge.Tools.Validation.Schemas;
using CloudAge.Tools.Validation.Yaml;

namespace CloudAge.Tools.Validation.Checks;

/// <summary>
/// The namespace a kustomization's <c>namespace</c> field gives what it lists, as kustomize's namespace transformer does
/// (api/filters/namespace/namespace.go): every namespaced resource gets it, whatever its metadata.namespace says, and a
/// v1 Namespace is renamed to it; cluster-scoped kinds keep none. What a listed folder holds gets it too, and an outer
/// kustomization wins over an inner one, as it transforms last. Every cross-document rule then sees where Argo CD and
/// <c>kubectl apply -k</c> really put each object.
/// </summary>
internal static class KustomizeNamespace
{
    public static IReadOnlyList<ManifestDocument> Apply(IReadOnlyList<ManifestDocument> documents, string root)
    {
        var kustomizations = documents
            .Where(d => d.Kind == KustomizationSchema.Kind && !string.IsNullOrEmpty(d.Root.At("namespace").Text()))
            .OrderByDescending(d => d.File.Count(c => c == '/'))
            .ToList();
        if (kustomizations.Count == 0)
        {
            return documents;
        }

        var result = documents.ToList();
        foreach (var kustomization in kustomizations)
        {
            var ns = kustomization.Root.At("namespace").Text()!;
            var folder = Path.GetDirectoryName(kustomization.File) ?? "";
            var listed = kustomization.Root.At("resources").Items()
                .Select(r => Path.GetRelativePath(root, Path.GetFullPath(Path.Join(root, folder, r.Text() ?? ""))).Replace('\\', '/'))
                .ToList();
            for (var i = 0; i < result.Count; i++)
            {
                var document = result[i];
                if (document.Kind == KustomizationSchema.Kind || !listed.Any(l => document.File == l || document.File.StartsWith(l + "/", StringComparison.Ordinal)))
                {
                    continue;
                }

                if (document.Kind == "Namespace" && document.ApiVersion == "v1")
                {
                    result[i] = document with { Name = ns, NamespaceSetBy = kustomization };
                }
                else if (!NamespaceCheck.IsClusterScoped(document.Kind))
                {
                    result[i] = document with { Namespace = ns, NamespaceSetBy = kustomization };
                }
            }
        }

        return result;
    }
}
