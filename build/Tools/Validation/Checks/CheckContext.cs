namespace CloudAge.Tools.Validation.Checks;

/// <summary>
/// Everything a cross-document rule sees: all documents, the workloads among them, the repository root and the
/// findings. Lookups go through indexes built once, so rules stay linear in the number of documents.
/// </summary>
internal sealed record CheckContext(string RepositoryRoot, IReadOnlyList<ManifestDocument> Documents, FindingList Findings)
{
    private readonly ILookup<string, ManifestDocument> byKind = Documents.ToLookup(d => d.Kind, StringComparer.Ordinal);
    private readonly HashSet<(string Kind, string? Name, string? Namespace)> defined = Documents.Select(d => (d.Kind, d.Name, d.Namespace)).ToHashSet();

    public IReadOnlyList<Workload> Workloads { get; } = Workload.Find(Documents);

    /// <summary>Documents by file (relative, with /).</summary>
    public ILookup<string, ManifestDocument> ByFile { get; } = Documents.ToLookup(d => d.File, StringComparer.Ordinal);

    public IEnumerable<ManifestDocument> OfKind(string kind) => byKind[kind];

    public bool Defines(string kind, string? name, string? ns) => defined.Contains((kind, name, ns));

    private Dictionary<(string Kind, string? Name, string? Namespace), ManifestDocument>? named;
    private KustomizeGraph? kustomize;

    /// <summary>Which kustomizations build which documents, and in what order.</summary>
    public KustomizeGraph Kustomize => kustomize ??= new KustomizeGraph(Documents, RepositoryRoot);
    private ILookup<(string? Namespace, string Key, string Value), Workload>? workloadsByLabel;

    /// <summary>The first document of that kind, name and namespace, or null.</summary>
    public ManifestDocument? Find(string kind, string? name, string? ns)
    {
        named ??= Documents.GroupBy(d => (d.Kind, d.Name, d.Namespace)).ToDictionary(g => g.Key, g => g.First());
        return named.GetValueOrDefault((kind, name, ns));
    }

    /// <summary>Workloads by namespace and pod label, so a Service looks only at the pods its rarest label selects.</summary>
    public ILookup<(string? Namespace, string Key, string Value), Workload> WorkloadsByLabel => workloadsByLabel ??= Workloads
        .SelectMany(w => w.Labels.Select(l => (Key: (w.Document.Namespace, l.Key, l.Value), Workload: w)))
        .ToLookup(p => p.Key, p => p.Workload);
}
