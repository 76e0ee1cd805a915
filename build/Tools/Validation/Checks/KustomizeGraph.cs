using CloudAge.Tools.Validation.Schemas;
using CloudAge.Tools.Validation.Yaml;

namespace CloudAge.Tools.Validation.Checks;

/// <summary>
/// Which kustomizations build which manifests, as <c>kustomize build</c> walks them: a kustomization's <c>resources</c>
/// (and the deprecated <c>bases</c>, which api/types/kustomization.go FixKustomization appends to them) name files, or
/// folders whose own kustomization is built first and whose output the listing one then transforms
/// (api/internal/target/kusttarget.go accumulateResources). So an overlay's transformers run after its base's.
/// A build starts at a kustomization no other lists, and at one whose folder an Argo CD Application deploys
/// (spec.source.path or spec.sources[].path), even when an overlay lists it too.
/// </summary>
internal sealed class KustomizeGraph
{
    private readonly Dictionary<ManifestDocument, List<ManifestDocument>> listedBy = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<ManifestDocument> deployed = new(ReferenceEqualityComparer.Instance);

    public KustomizeGraph(IReadOnlyList<ManifestDocument> documents, string root)
    {
        var kustomizations = documents.Where(d => d.Kind == KustomizationSchema.Kind).ToList();
        var byFolder = kustomizations.GroupBy(k => Folder(k.File)).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var byFile = documents.Where(d => d.Kind != KustomizationSchema.Kind).ToLookup(d => d.File, StringComparer.Ordinal);
        foreach (var application in documents.Where(d => d.Kind == ArgoCdApplicationSchema.Kind))
        {
            var sources = application.Root.At("spec", "source") is { } single ? [single] : application.Root.At("spec", "sources").Items();
            foreach (var path in sources.Select(s => s.At("path").Text()).OfType<string>())
            {
                var folder = Path.GetRelativePath(root, Path.GetFullPath(Path.Join(root, path))).Replace('\\', '/').TrimEnd('/');
                if (byFolder.TryGetValue(folder, out var built))
                {
                    deployed.Add(built);
                }
            }
        }

        foreach (var kustomization in kustomizations)
        {
            foreach (var entry in Resources(kustomization))
            {
                var listed = Path.GetRelativePath(root, Path.GetFullPath(Path.Join(root, Folder(kustomization.File), entry))).Replace('\\', '/');
                IEnumerable<ManifestDocument> targets = byFolder.TryGetValue(listed, out var inner) ? [inner]
                    : byFile[listed].Any() ? byFile[listed]
                    // A folder without a kustomization fails kustomize build; what lies under it is still counted as listed,
                    // so the rules see the namespace the author meant rather than a second error.
                    : documents.Where(d => d.Kind != KustomizationSchema.Kind && d.File.StartsWith(listed + "/", StringComparison.Ordinal));
                foreach (var target in targets)
                {
                    if (!ReferenceEquals(target, kustomization))
                    {
                        ListedBy(target).Add(kustomization);
                    }
                }
            }
        }
    }

    /// <summary>The resources entries kustomize reads: <c>resources</c>, then <c>bases</c>.</summary>
    public static IEnumerable<string> Resources(ManifestDocument kustomization) =>
        kustomization.Root.At("resources").Items().Concat(kustomization.Root.At("bases").Items())
            .Select(r => r.Text()).OfType<string>();

    /// <summary>
    /// Every way a build reaches <paramref name="document"/>: each chain lists the kustomizations that transform it, the
    /// one listing it first and the one that is built (listed by no other) last. Empty when no kustomization lists it.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<ManifestDocument>> Chains(ManifestDocument document)
    {
        var chains = new List<IReadOnlyList<ManifestDocument>>();
        foreach (var kustomization in listedBy.GetValueOrDefault(document) ?? [])
        {
            Walk(kustomization, []);
        }

        return chains;

        void Walk(ManifestDocument kustomization, List<ManifestDocument> below)
        {
            if (below.Any(k => ReferenceEquals(k, kustomization)))
            {
                return; // a cycle, which kustomize refuses; the path so far is not a build
            }

            var path = new List<ManifestDocument>(below) { kustomization };
            var outer = listedBy.GetValueOrDefault(kustomization) ?? [];
            if (outer.Count == 0 || deployed.Contains(kustomization))
            {
                chains.Add(path);
            }

            foreach (var next in outer)
            {
                Walk(next, path);
            }
        }
    }

    private List<ManifestDocument> ListedBy(ManifestDocument document)
    {
        if (!listedBy.TryGetValue(document, out var list))
        {
            listedBy[document] = list = [];
        }

        return list;
    }

    private static string Folder(string file) => Path.GetDirectoryName(file) is { Length: > 0 } folder ? folder.Replace('\\', '/') : ".";
}
