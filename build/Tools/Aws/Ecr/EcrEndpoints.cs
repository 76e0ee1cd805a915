using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace CloudAge.Tools.Aws.Ecr;

/// <summary>An ECR registry host (<c>&lt;account&gt;.dkr.ecr.&lt;region&gt;.&lt;partition's DNS suffix&gt;</c>, such as <c>amazonaws.com</c>) taken apart.</summary>
public sealed partial record EcrRegistryHost(string AccountId, string Region, string Host)
{
    /// <summary>Parses a registry host, a host:port, or an image reference / URL starting with one.</summary>
    public static bool TryParse(string? registry, [NotNullWhen(true)] out EcrRegistryHost? host)
    {
        host = null;
        if (string.IsNullOrWhiteSpace(registry))
            return false;
        var text = registry.Trim();
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
            text = text[(scheme + 3)..];
        text = text.Split('/')[0].Split(':')[0].ToLowerInvariant();
        var match = HostPattern().Match(text);
        if (!match.Success || match.Groups["suffix"].Value != Regions.AwsRegions.DnsSuffix(match.Groups["region"].Value))
            return false;
        host = new EcrRegistryHost(match.Groups["account"].Value, match.Groups["region"].Value, text);
        return true;
    }

    public static bool IsEcr(string? registry) => TryParse(registry, out _);

    // The host ends in the DNS suffix of the region's partition, checked above.
    [GeneratedRegex(@"^(?<account>\d{12})\.dkr\.ecr(-fips)?\.(?<region>[a-z]{2,4}(-[a-z]+)+-\d+)\.(?<suffix>[a-z0-9.-]+)$")]
    private static partial Regex HostPattern();
}

/// <summary>Default AWS endpoints for a region.</summary>
public static class AwsEndpoints
{
    /// <summary>The ECR API endpoint, <c>https://api.ecr.&lt;region&gt;.amazonaws.com</c> (<c>.com.cn</c> in China, the partition's own suffix elsewhere).</summary>
    public static Uri EcrApi(string region) => new($"https://api.ecr.{region}.{DnsSuffix(region)}/");

    /// <summary>The regional STS endpoint, as <c>aws eks get-token</c> uses it.</summary>
    public static Uri Sts(string region) => new($"https://sts.{region}.{DnsSuffix(region)}/");

    /// <summary>The regional CloudFormation endpoint.</summary>
    public static Uri CloudFormation(string region) => new($"https://cloudformation.{region}.{DnsSuffix(region)}/");

    /// <summary>The regional EKS endpoint.</summary>
    public static Uri Eks(string region) => new($"https://eks.{region}.{DnsSuffix(region)}/");

    private static string DnsSuffix(string region) => Regions.AwsRegions.DnsSuffix(region);
}
