using CloudAge.Tools.Validation.Schemas;
using CloudAge.Tools.Validation.Yaml;

namespace CloudAge.Tools.Validation.Checks;

/// <summary>
/// The namespace a kustomization's <c>namespace</c> field gives what it lists, as kustomize's namespace transformer does
/// (api/filters/namespace/namespace.go): every namespaced resource gets it, whatever its metadata.namespace says, and a
/// v1 Namespace is renamed to it; cluster-scoped kinds keep none. What a listed folder's kustomization builds gets it
/// too, and an overlay wins over its base, as it transforms last (<see cref="KustomizeGraph"/>: by the order kustomize
/// builds them, not by folder depth). Every cross-document rule then sees where Argo CD and <c>kubectl apply -k</c>
/// really put each object; a manifest several builds reach is placed by the first.
/// </summary>
internal static class KustomizeNamespace
{
    public static IReadOnlyList<ManifestDocument> Apply(IReadOnlyList<ManifestDocument> documents, string root)
    {
        if (!documents.Any(d => d.Kind == KustomizationSchema.Kind && !string.IsNullOrEmpty(d.Root.At("namespace").Text())))
        {
            return documents;
        }

        var graph = new KustomizeGraph(documents, root);
        var result = documents.ToList();
        for (var i = 0; i < result.Count; i++)
        {
            var document = result[i];
            if (document.Kind == KustomizationSchema.Kind || graph.Chains(document) is not [var chain, ..]
                || chain.LastOrDefault(k => !string.IsNullOrEmpty(k.Root.At("namespace").Text())) is not { } kustomization)
            {
                continue;
            }

            var ns = kustomization.Root.At("namespace").Text()!;
            if (document.Kind == "Namespace" && document.ApiVersion == "v1")
            {
                result[i] = document with { Name = ns, NamespaceSetBy = kustomization };
            }
            else if (!NamespaceCheck.IsClusterScoped(document.Kind))
            {
                result[i] = document with { Namespace = ns, NamespaceSetBy = kustomization };
            }
        }

        return result;
    }
}
