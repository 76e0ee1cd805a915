namespace CloudAge.Tools.Validation.Checks;

/// <summary>Everything a cross-document rule sees: all documents, the workloads among them, the repository root and the findings.</summary>
internal sealed record CheckContext(string RepositoryRoot, IReadOnlyList<ManifestDocument> Documents, FindingList Findings)
{
    public IReadOnlyList<Workload> Workloads { get; } = Workload.Find(Documents);

    public IEnumerable<ManifestDocument> OfKind(string kind) => Documents.Where(d => d.Kind == kind);

    public bool Defines(string kind, string? name, string? ns) =>
        OfKind(kind).Any(d => d.Name == name && d.Namespace == ns);
}
