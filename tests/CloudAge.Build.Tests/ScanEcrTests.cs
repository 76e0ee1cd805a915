using System.Text.RegularExpressions;
using System.Text.Json;
using CloudAge.Build.Tests.Fixtures;
using Microsoft.AspNetCore.Http;

namespace CloudAge.Build.Tests;

/// <summary>
/// The ECR gate after push, run by the build program against a loopback stand-in for the ECR API: moto starts a basic
/// scan whatever the registry's scanning configuration, so registries with enhanced scanning (Amazon Inspector) are
/// modelled here from the ECR API reference. ScanEcr reads what PushEcr pushed from artifacts/image.json.
/// </summary>
public sealed class ScanEcrTests : IDisposable
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private readonly GateRepository _repository = new(Prerequisites.RepositoryRoot());

    public ScanEcrTests()
    {
        Directory.CreateDirectory(Path.Combine(_repository.Root, "artifacts"));
        File.WriteAllText(Path.Combine(_repository.Root, "artifacts", "image.json"), $$"""
            {"imageUri":"123456789012.dkr.ecr.us-east-1.amazonaws.com/cloudage","digest":"{{Digest}}","tags":["sha-abc1234"],
             "skippedTags":[],"commit":"abc1234","version":"1.0.0"}
            """);
    }

    private (int ExitCode, string Output) ScanEcr(string endpoint) =>
        ProcessHelper.Run("dotnet", string.Join(' ', BuildProgram.Dll(), "ScanEcr", "--root", _repository.Root, "--no-logo", "--scanner", "ecr",
            "--aws-endpoint", endpoint, "--aws-region", "us-east-1", "--ecr-repository", "cloudage"), _repository.Root, new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE",
            ["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["NO_COLOR"] = "1",
            ["GITHUB_ACTIONS"] = "false",
        });

    [Fact]
    public async Task On_a_registry_with_enhanced_scanning_the_gate_reads_Inspectors_findings_though_ECR_refuses_a_manual_scan()
    {
        // Enhanced scanning scans on push or continuously; a manual scan is a basic-scanning feature (StartImageScan: "Starts
        // a basic image vulnerability scan"; PutRegistryScanningConfiguration: "you can do manual scans of images with basic
        // scanning"), which ECR then refuses with ValidationException "This feature is disabled" (alexjurkiewicz/ecr-scan-image#44).
        // The findings come as enhancedFindings with status ACTIVE (ImageScanStatus, EnhancedImageScanFinding).
        var targets = new List<string>();
        await using var ecr = await LoopbackWebApp.StartAsync(async context =>
        {
            var target = context.Request.Headers["X-Amz-Target"].ToString().Split('.')[^1];
            lock (targets)
                targets.Add(target);
            using var request = await JsonDocument.ParseAsync(context.Request.Body);
            context.Response.ContentType = "application/x-amz-json-1.1";
            if (target == "StartImageScan")
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsync("""{"__type":"ValidationException","message":"This feature is disabled"}""");
                return;
            }
            Assert.Equal(Digest, request.RootElement.GetProperty("imageId").GetProperty("imageDigest").GetString());
            await context.Response.WriteAsync($$$"""
                {"registryId":"123456789012","repositoryName":"cloudage","imageId":{"imageDigest":"{{{Digest}}}"},
                 "imageScanStatus":{"status":"ACTIVE","description":"Continuous scan is selected for image."},
                 "imageScanFindings":{"findingSeverityCounts":{"HIGH":1},"enhancedFindings":[
                   {"awsAccountId":"123456789012","description":"A flaw in openssl","severity":"HIGH","status":"ACTIVE","type":"PACKAGE_VULNERABILITY",
                    "title":"CVE-2026-0001 - openssl","packageVulnerabilityDetails":{"vulnerabilityId":"CVE-2026-0001","source":"NVD",
                    "vulnerablePackages":[{"name":"openssl","version":"3.0.1","fixedInVersion":"3.0.2","packageManager":"OS"}]}}]}}
                """);
        });

        var (exitCode, output) = ScanEcr(ecr.Urls.First());

        Assert.True(exitCode == 1, output);
        Assert.Equal(["StartImageScan", "DescribeImageScanFindings"], targets);
        Assert.Contains("enhanced scanning", output);
        // Each status change is said once (the client's line names the repository and the digest).
        Assert.Single(Regex.Matches(output, @"ECR scan of .*: ACTIVE"));
        Assert.Contains("Scan gate failed: 1 finding(s) at or above HIGH (CVE-2026-0001)", output);
        Assert.Matches(@"CVE-2026-0001\s+openssl\s+3\.0\.1\s+HIGH\s+3\.0\.2", output);
    }

    public void Dispose() => _repository.Dispose();
}
