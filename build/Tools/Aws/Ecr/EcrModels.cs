namespace CloudAge.Tools.Aws.Ecr;

public enum EcrTagMutability
{
    Mutable,
    Immutable,
}

/// <summary>An ECR repository; <see cref="Uri"/> is what images are tagged with (<c>acct.dkr.ecr.region.amazonaws.com/name</c>).</summary>
/// <param name="TagMutability">The setting of every tag but those <see cref="TagMutabilityExclusions"/> match.</param>
public sealed record EcrRepository(string Name, string Uri, string Arn, string RegistryId, EcrTagMutability TagMutability, bool ScanOnPush)
{
    /// <summary>
    /// The WILDCARD filters of IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION (<c>*</c> is any run of characters): the
    /// tags they match have the opposite of <see cref="TagMutability"/>. Empty for plain IMMUTABLE and MUTABLE.
    /// </summary>
    public IReadOnlyList<string> TagMutabilityExclusions { get; init; } = [];

    /// <summary>How the repository treats tags, for a log line: <c>Immutable</c>, or <c>Immutable except latest, dev-*</c>.</summary>
    public string TagMutabilityText => TagMutabilityExclusions.Count == 0 ? TagMutability.ToString() : $"{TagMutability} except {string.Join(", ", TagMutabilityExclusions)}";

    // Compared by value, exclusions included (a record compares a list by reference).
    public bool Equals(EcrRepository? other) =>
        other is not null && (Name, Uri, Arn, RegistryId, TagMutability, ScanOnPush) == (other.Name, other.Uri, other.Arn, other.RegistryId, other.TagMutability, other.ScanOnPush)
        && TagMutabilityExclusions.SequenceEqual(other.TagMutabilityExclusions);

    public override int GetHashCode() => HashCode.Combine(Name, Uri, Arn, RegistryId, TagMutability, ScanOnPush, TagMutabilityExclusions.Count);
}

/// <summary>An image in a repository, named by tag or digest (one of them).</summary>
public sealed record EcrImageId(string? Tag = null, string? Digest = null)
{
    public static EcrImageId ByTag(string tag) => new(Tag: tag);

    public static EcrImageId ByDigest(string digest) => new(Digest: digest);

    public override string ToString() => Digest ?? Tag ?? "(no image id)";
}

public sealed record EcrImage(string Digest, IReadOnlyList<string> Tags, long SizeInBytes, DateTimeOffset? PushedAt,
    EcrScanStatus? ScanStatus, IReadOnlyDictionary<string, int> FindingSeverityCounts);

/// <summary>
/// A scan's status: IN_PROGRESS, COMPLETE, FAILED, UNSUPPORTED_IMAGE, ACTIVE, PENDING,
/// SCAN_ELIGIBILITY_EXPIRED or FINDINGS_UNAVAILABLE (kept as text: AWS adds values).
/// </summary>
public sealed record EcrScanStatus(string Status, string? Description)
{
    /// <summary>COMPLETE for basic scanning; ACTIVE is how enhanced (continuous) scanning reports findings ready.</summary>
    public bool IsComplete => Status is "COMPLETE" or "ACTIVE";

    public bool IsInProgress => Status is "IN_PROGRESS" or "PENDING";
}

/// <summary>One vulnerability; <see cref="Attributes"/> holds package_name, package_version, CVSS scores and the like.</summary>
public sealed record EcrFinding(string Name, string Severity, string? Uri, string? Description, IReadOnlyDictionary<string, string> Attributes)
{
    public string? PackageName => Attributes.GetValueOrDefault("package_name");

    public string? PackageVersion => Attributes.GetValueOrDefault("package_version");

    /// <summary>Only enhanced (Inspector) scanning reports a fixed version.</summary>
    public string? FixedInVersion => Attributes.GetValueOrDefault("fixed_in_version");
}

/// <summary>All findings of a scan (every page). Severity counts keep whatever keys ECR sends, unknown ones included.</summary>
public sealed record EcrScanFindings(EcrScanStatus Status, IReadOnlyDictionary<string, int> SeverityCounts,
    IReadOnlyList<EcrFinding> Findings, DateTimeOffset? CompletedAt);

/// <summary>
/// Docker login data from GetAuthorizationToken: user <c>AWS</c>, the decoded password, and the raw token
/// (usable as <c>Authorization: Basic &lt;token&gt;</c>). ECR tokens last 12 hours; <see cref="ExpiresAt"/> is
/// informational only (emulators send dates in the past).
/// </summary>
public sealed record EcrAuthorization(string UserName, string Password, string AuthorizationToken, Uri ProxyEndpoint, DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"EcrAuthorization {{ UserName = {UserName}, Password = ***, ProxyEndpoint = {ProxyEndpoint}, ExpiresAt = {ExpiresAt:O} }}";
}
