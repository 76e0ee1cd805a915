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
}
