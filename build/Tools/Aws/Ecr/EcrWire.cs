using System.Text.Json;
using System.Text.Json.Serialization;

namespace CloudAge.Tools.Aws.Ecr;

// The JSON shapes of the ECR API (awsJson1_1), as the service names them. Mapped to the public records in EcrMapping.
internal static class EcrJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

internal sealed record EmptyRequest;

internal sealed record ScanningConfigurationDto(bool ScanOnPush);

internal sealed record RepositoryDto(string? RepositoryArn, string? RegistryId, string? RepositoryName, string? RepositoryUri,
    string? ImageTagMutability, ScanningConfigurationDto? ImageScanningConfiguration,
    IReadOnlyList<TagMutabilityExclusionFilterDto>? ImageTagMutabilityExclusionFilters = null);

// filterType is WILDCARD (the only value so far); filter is a tag pattern where '*' stands for any run of characters.
internal sealed record TagMutabilityExclusionFilterDto(string? FilterType, string? Filter);

internal sealed record DescribeRepositoriesRequest(IReadOnlyList<string> RepositoryNames);

internal sealed record DescribeRepositoriesResponse(IReadOnlyList<RepositoryDto>? Repositories);

internal sealed record CreateRepositoryRequest(string RepositoryName, string ImageTagMutability, ScanningConfigurationDto ImageScanningConfiguration);

internal sealed record CreateRepositoryResponse(RepositoryDto? Repository);

internal sealed record AuthorizationDataDto(string? AuthorizationToken, double? ExpiresAt, string? ProxyEndpoint);

internal sealed record GetAuthorizationTokenResponse(IReadOnlyList<AuthorizationDataDto>? AuthorizationData);

internal sealed record ImageIdDto(string? ImageTag, string? ImageDigest);

internal sealed record ScanStatusDto(string? Status, string? Description);

internal sealed record FindingsSummaryDto(Dictionary<string, int>? FindingSeverityCounts);

internal sealed record ImageDetailDto(string? ImageDigest, IReadOnlyList<string>? ImageTags, long? ImageSizeInBytes, double? ImagePushedAt,
    ScanStatusDto? ImageScanStatus, FindingsSummaryDto? ImageScanFindingsSummary);

internal sealed record DescribeImagesRequest(string RepositoryName, IReadOnlyList<ImageIdDto> ImageIds);

internal sealed record DescribeImagesResponse(IReadOnlyList<ImageDetailDto>? ImageDetails);

internal sealed record StartImageScanRequest(string RepositoryName, ImageIdDto ImageId);

internal sealed record StartImageScanResponse(ScanStatusDto? ImageScanStatus);

internal sealed record DescribeImageScanFindingsRequest(string RepositoryName, ImageIdDto ImageId, string? NextToken, int MaxResults);

internal sealed record AttributeDto(string? Key, string? Value);

internal sealed record FindingDto(string? Name, string? Description, string? Uri, string? Severity, IReadOnlyList<AttributeDto>? Attributes);

internal sealed record VulnerablePackageDto(string? Name, string? Version, string? FixedInVersion);

internal sealed record PackageVulnerabilityDetailsDto(string? VulnerabilityId, string? SourceUrl, IReadOnlyList<VulnerablePackageDto>? VulnerablePackages);

// status: ACTIVE, SUPPRESSED (an Inspector suppression rule) or CLOSED (fixed in a later scan): EnhancedImageScanFinding.
internal sealed record EnhancedFindingDto(string? Title, string? Description, string? Severity, PackageVulnerabilityDetailsDto? PackageVulnerabilityDetails,
    string? Status = null);

internal sealed record ScanFindingsDto(Dictionary<string, int>? FindingSeverityCounts, IReadOnlyList<FindingDto>? Findings,
    IReadOnlyList<EnhancedFindingDto>? EnhancedFindings, double? ImageScanCompletedAt);

internal sealed record DescribeImageScanFindingsResponse(ScanStatusDto? ImageScanStatus, ScanFindingsDto? ImageScanFindings, string? NextToken);
