using System.Text.RegularExpressions;

namespace CloudAge.Tools.Aws.Regions;

/// <summary>
/// The shape of an AWS region name, from the partitions' <c>regionRegex</c> in botocore's
/// <c>botocore/data/partitions.json</c> (aws, aws-cn, aws-us-gov, aws-iso*, aws-eusc). A region ends up inside host names
/// (<c>api.ecr.&lt;region&gt;.amazonaws.com</c>) that signed requests go to, so anything else is refused before a request is made.
/// </summary>
public static partial class AwsRegions
{
    /// <summary>The whole-value pattern (without anchors, for the build's parameter attribute).</summary>
    public const string Pattern = @"(us|eu|ap|sa|ca|me|af|il|mx|cn)(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}|eusc-de-[a-z]+-\d{1,2}";

    /// <summary>What a good value looks like, for error messages.</summary>
    public const string Expected = "an AWS region name such as us-east-1 or eu-west-2";

    public static bool IsValid(string? region) => region is not null && Anchored().IsMatch(region);

    /// <summary>
    /// The DNS suffix of the region's partition (botocore <c>partitions.json</c> <c>outputs.dnsSuffix</c>): the host
    /// names of its endpoints end in it (<c>api.ecr.cn-north-1.amazonaws.com.cn</c>, <c>sts.eusc-de-east-1.amazonaws.eu</c>).
    /// </summary>
    public static string DnsSuffix(string region) => region switch
    {
        _ when region.StartsWith("cn-", StringComparison.Ordinal) => "amazonaws.com.cn",
        _ when region.StartsWith("eusc-", StringComparison.Ordinal) => "amazonaws.eu",
        _ when region.StartsWith("us-iso-", StringComparison.Ordinal) => "c2s.ic.gov",
        _ when region.StartsWith("us-isob-", StringComparison.Ordinal) => "sc2s.sgov.gov",
        _ when region.StartsWith("us-isof-", StringComparison.Ordinal) => "csp.hci.ic.gov",
        _ when region.StartsWith("eu-isoe-", StringComparison.Ordinal) => "cloud.adc-e.uk",
        _ => "amazonaws.com",
    };

    [GeneratedRegex(@"^(?:" + Pattern + @")$")]
    private static partial Regex Anchored();
}
