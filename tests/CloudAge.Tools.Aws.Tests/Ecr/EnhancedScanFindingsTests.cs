using CloudAge.Common.Secrets;
using CloudAge.Testing;
using CloudAge.Tools.Aws.Ecr;
using CloudAge.Tools.Aws.Tests.Fixtures;
using Microsoft.AspNetCore.Http;

namespace CloudAge.Tools.Aws.Tests.Ecr;

/// <summary>
/// Enhanced (Amazon Inspector) scan findings, which moto does not model: a loopback stand-in answers
/// DescribeImageScanFindings with enhancedFindings shaped as the ECR API reference's EnhancedImageScanFinding.
/// </summary>
public sealed class EnhancedScanFindingsTests
{
    private static string Finding(string id, string status, string package, string version, string? fixedIn) => $$"""
        {"awsAccountId":"123456789012","description":"{{id}} in {{package}}","findingArn":"arn:aws:inspector2:eu-west-1:123456789012:finding/{{id}}",
         "firstObservedAt":1764633600.0,"lastObservedAt":1764633600.0,"fixAvailable":"{{(fixedIn is null ? "NO" : "YES")}}",
         "packageVulnerabilityDetails":{"vulnerabilityId":"{{id}}","source":"NVD","sourceUrl":"https://nvd.nist.gov/vuln/detail/{{id}}",
           "vulnerablePackages":[{"name":"{{package}}","version":"{{version}}","packageManager":"OS"{{(fixedIn is null ? "" : $",\"fixedInVersion\":\"{fixedIn}\"")}}}]},
         "severity":"HIGH","status":"{{status}}","title":"{{id}} - {{package}}","type":"PACKAGE_VULNERABILITY"}
        """;

    [Fact]
    public async Task Only_active_enhanced_findings_count_suppressed_and_closed_ones_are_left_out()
    {
        var findingsJson = string.Join(",",
            Finding("CVE-2026-0001", "ACTIVE", "openssl", "3.0.1", "3.0.2"),
            Finding("CVE-2026-0002", "SUPPRESSED", "zlib", "1.2.13", null),
            Finding("CVE-2026-0003", "CLOSED", "curl", "8.0.0", "8.0.1"));
        var body = """{"registryId":"123456789012","repositoryName":"cloudage","imageId":{"imageTag":"v1"},"imageScanStatus":{"status":"ACTIVE","description":"Continuous scan is selected for image."},"imageScanFindings":{"enhancedFindings":["""
            + findingsJson + """],"findingSeverityCounts":{"HIGH":1}}}""";
        await using var server = LoopbackWebApp.Create(async context =>
        {
            context.Response.ContentType = "application/x-amz-json-1.1";
            await context.Response.WriteAsync(body);
        });
        await server.StartAsync();
        var log = new LogCapture();
        using var client = new EcrClient(MotoServer.Session(), new SecretMasker(), log.Log, new EcrClientOptions { Endpoint = new Uri(server.Urls.First() + "/") });

        var findings = await client.DescribeImageScanFindingsAsync("cloudage", EcrImageId.ByTag("v1"));

        var finding = Assert.Single(findings.Findings);
        Assert.Equal(("CVE-2026-0001", "HIGH", "openssl", "3.0.1", "3.0.2"),
            (finding.Name, finding.Severity, finding.PackageName, finding.PackageVersion, finding.FixedInVersion));
        Assert.True(findings.Status.IsComplete);
    }

    // End states of the ECR API reference's ImageScanStatus, each with its own next step.
    [Theory]
    [InlineData("UNSUPPORTED_IMAGE", "The operating system and/or package manager are not supported.", "--scanner trivy")]
    [InlineData("LIMIT_EXCEEDED", "The image was already scanned in the last 24 hours.", "one basic scan of an image per 24 hours")]
    [InlineData("SCAN_ELIGIBILITY_EXPIRED", "The configured scan duration has lapsed for this image.", "push the image again")]
    [InlineData("FINDINGS_UNAVAILABLE", "Findings are not available.", "Inspector console")]
    [InlineData("IMAGE_ARCHIVED", "The image is archived.", "restore it to standard storage")]
    public async Task A_scan_that_ends_without_findings_says_what_to_do_for_its_state(string status, string description, string advice)
    {
        await using var server = LoopbackWebApp.Create(async context =>
        {
            context.Response.ContentType = "application/x-amz-json-1.1";
            await context.Response.WriteAsync($$$"""
                {"registryId":"123456789012","repositoryName":"cloudage","imageId":{"imageTag":"v1"},"imageScanStatus":{"status":"{{{status}}}","description":"{{{description}}}"}}
                """);
        });
        await server.StartAsync();
        using var client = new EcrClient(MotoServer.Session(), new SecretMasker(), new LogCapture().Log, new EcrClientOptions { Endpoint = new Uri(server.Urls.First() + "/") });

        var error = await Assert.ThrowsAsync<EcrException>(() => client.WaitForScanAsync("cloudage", EcrImageId.ByTag("v1"), TimeSpan.FromSeconds(30)));

        Assert.Contains($"ended with {status}: {description}", error.Message, StringComparison.Ordinal);
        Assert.Contains(advice, error.Message, StringComparison.Ordinal);
    }
}
