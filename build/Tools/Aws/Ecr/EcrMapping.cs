namespace CloudAge.Tools.Aws.Ecr;

/// <summary>From the wire shapes to the public records; absent fields become empty values, never nulls in collections.</summary>
internal static class EcrMapping
{
    // IMMUTABLE_WITH_EXCLUSION and MUTABLE_WITH_EXCLUSION (ECR API reference, ImageTagMutability) keep their base setting
    // for every tag but those their filters match, which get the opposite one.
    public static EcrRepository ToRepository(this RepositoryDto dto) => new(
        dto.RepositoryName ?? string.Empty,
        dto.RepositoryUri ?? string.Empty,
        dto.RepositoryArn ?? string.Empty,
        dto.RegistryId ?? string.Empty,
        dto.ImageTagMutability?.StartsWith("IMMUTABLE", StringComparison.OrdinalIgnoreCase) == true ? EcrTagMutability.Immutable : EcrTagMutability.Mutable,
        dto.ImageScanningConfiguration?.ScanOnPush ?? false)
    {
        TagMutabilityExclusions = dto.ImageTagMutability?.EndsWith("_WITH_EXCLUSION", StringComparison.OrdinalIgnoreCase) == true
            ? (dto.ImageTagMutabilityExclusionFilters ?? [])
                .Where(f => string.Equals(f.FilterType, "WILDCARD", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrEmpty(f.Filter))
                .Select(f => f.Filter!).ToList()
            : [],
    };

    public static string ToWire(this EcrTagMutability mutability) => mutability == EcrTagMutability.Immutable ? "IMMUTABLE" : "MUTABLE";

    public static ImageIdDto ToWire(this EcrImageId id) =>
        id.Tag is null && id.Digest is null ? throw new ArgumentException("An image id needs a tag or a digest.", nameof(id)) : new(id.Tag, id.Digest);

    public static EcrScanStatus ToStatus(this ScanStatusDto? dto) => new(dto?.Status ?? "UNKNOWN", dto?.Description);

    public static EcrImage ToImage(this ImageDetailDto dto) => new(
        dto.ImageDigest ?? string.Empty,
        dto.ImageTags ?? [],
        dto.ImageSizeInBytes ?? 0,
        FromEpochSeconds(dto.ImagePushedAt),
        dto.ImageScanStatus is null ? null : dto.ImageScanStatus.ToStatus(),
        dto.ImageScanFindingsSummary?.FindingSeverityCounts ?? new Dictionary<string, int>());

    public static EcrFinding ToFinding(this FindingDto dto) => new(
        dto.Name ?? string.Empty,
        dto.Severity ?? "UNDEFINED",
        dto.Uri,
        dto.Description,
        (dto.Attributes ?? []).Where(a => a.Key is not null)
            .GroupBy(a => a.Key!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Value ?? string.Empty, StringComparer.Ordinal));

    // Enhanced (Inspector) scanning reports packages differently; it is flattened into the basic scan's attribute names.
    public static EcrFinding ToFinding(this EnhancedFindingDto dto)
    {
        var details = dto.PackageVulnerabilityDetails;
        var package = details?.VulnerablePackages is [var first, ..] ? first : null;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (package?.Name is { } name)
            attributes["package_name"] = name;
        if (package?.Version is { } version)
            attributes["package_version"] = version;
        if (package?.FixedInVersion is { } fixedIn)
            attributes["fixed_in_version"] = fixedIn;
        return new EcrFinding(details?.VulnerabilityId ?? dto.Title ?? string.Empty, dto.Severity ?? "UNDEFINED", details?.SourceUrl,
            dto.Description ?? dto.Title, attributes);
    }

    public static DateTimeOffset? FromEpochSeconds(double? seconds) =>
        seconds is { } value ? DateTimeOffset.FromUnixTimeMilliseconds((long)(value * 1000)) : null;
}
