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
}
