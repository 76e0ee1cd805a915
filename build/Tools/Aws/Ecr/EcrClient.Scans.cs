namespace CloudAge.Tools.Aws.Ecr;

public sealed partial class EcrClient
{
    private const int FindingsPageSize = 1000;

    /// <summary>Starts a basic scan. ECR allows one per image per 24 hours (LimitExceededException after that).</summary>
    public async Task<EcrScanStatus> StartImageScanAsync(string repository, EcrImageId image, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync<StartImageScanResponse>("StartImageScan", new StartImageScanRequest(repository, image.ToWire()), cancellationToken)
            .ConfigureAwait(false);
        return response.ImageScanStatus.ToStatus();
    }

    /// <summary>The scan's status and every finding, following nextToken across pages; ScanNotFoundException when no scan exists.</summary>
    public async Task<EcrScanFindings> DescribeImageScanFindingsAsync(string repository, EcrImageId image, CancellationToken cancellationToken = default)
    {
        var findings = new List<EcrFinding>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        string? nextToken = null;
        DescribeImageScanFindingsResponse page;
        do
        {
            var request = new DescribeImageScanFindingsRequest(repository, image.ToWire(), nextToken, FindingsPageSize);
            page = await SendAsync<DescribeImageScanFindingsResponse>("DescribeImageScanFindings", request, cancellationToken).ConfigureAwait(false);
            var pageFindings = page.ImageScanFindings;
            findings.AddRange((pageFindings?.Findings ?? []).Select(f => f.ToFinding()));
            // Enhanced scanning keeps findings an Inspector suppression rule hides (SUPPRESSED) and fixed ones (CLOSED)
            // in the list; only ACTIVE ones stand against the image, as the console shows them.
            findings.AddRange((pageFindings?.EnhancedFindings ?? [])
                .Where(f => f.Status is null || string.Equals(f.Status, "ACTIVE", StringComparison.OrdinalIgnoreCase))
                .Select(f => f.ToFinding()));
            // Every page repeats the totals; keep the first page's.
            if (counts.Count == 0 && pageFindings?.FindingSeverityCounts is { } pageCounts)
                foreach (var (severity, count) in pageCounts)
                    counts[severity] = count;
            nextToken = string.IsNullOrEmpty(page.NextToken) ? null : page.NextToken;
        }
        while (nextToken is not null);
        return new EcrScanFindings(page.ImageScanStatus.ToStatus(), counts, findings, EcrMapping.FromEpochSeconds(page.ImageScanFindings?.ImageScanCompletedAt));
    }

    /// <summary>
    /// Polls until the scan is COMPLETE (or ACTIVE, for enhanced scanning) and returns its findings. A scan that has not started yet (scan on push
    /// just queued, ScanNotFoundException) counts as pending. FAILED and the other end states throw an
    /// <see cref="EcrException"/>; running past <paramref name="timeout"/> throws a <see cref="TimeoutException"/>.
    /// </summary>
    /// <param name="progress">Called once per status change.</param>
    public async Task<EcrScanFindings> WaitForScanAsync(string repository, EcrImageId image, TimeSpan timeout,
        Action<EcrScanStatus>? progress = null, CancellationToken cancellationToken = default)
    {
        var time = _options.TimeProvider;
        var deadline = time.GetUtcNow() + timeout;
        string? lastStatus = null;
        while (true)
        {
            var findings = await TryDescribeFindingsAsync(repository, image, cancellationToken).ConfigureAwait(false);
            var status = findings?.Status ?? new EcrScanStatus("PENDING", "No scan has started for this image yet.");
            if (status.Status != lastStatus)
            {
                lastStatus = status.Status;
                progress?.Invoke(status);
                _log($"ECR scan of {repository}@{image}: {status.Status}{(status.Description is { Length: > 0 } d ? $" ({d})" : string.Empty)}");
            }
            if (status.IsComplete)
                return findings!;
            if (!status.IsInProgress && status.Status != "UNKNOWN")
                throw new EcrException(status.Status, status.Description ?? string.Empty, "DescribeImageScanFindings", Endpoint, null,
                    $"ECR scan of {repository}@{image} ended with {status.Status}: {status.Description ?? "no description"}. " + NextStep(status.Status));
            if (time.GetUtcNow() + _options.ScanPollInterval > deadline)
                throw new TimeoutException(
                    $"ECR scan of {repository}@{image} did not complete within {timeout.TotalSeconds:0}s (last status {status.Status}). " +
                    "Raise the scan timeout, or look at the scan in the ECR console.");
            await Task.Delay(_options.ScanPollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    // What to do about each end state ECR names (API reference, ImageScanStatus; Amazon Inspector API reference,
    // ScanStatus reasons, for the enhanced-scanning ones).
    private static string NextStep(string status) => status switch
    {
        "UNSUPPORTED_IMAGE" => "ECR cannot scan this image's operating system or platform; scan it with another scanner (for example --scanner trivy).",
        "LIMIT_EXCEEDED" => "ECR allows one basic scan of an image per 24 hours and this one was used; wait, or scan with another scanner.",
        "SCAN_ELIGIBILITY_EXPIRED" => "The registry's enhanced-scanning duration for this image has lapsed; push the image again, or lengthen the scan duration in Amazon Inspector's ECR settings.",
        "FINDINGS_UNAVAILABLE" => "Amazon Inspector has no findings for this image (it may be cleaning up after a deletion); push the image again, or look at the image in the Inspector console.",
        "IMAGE_ARCHIVED" => "The image is in ECR's archive storage class, which is not scanned; restore it to standard storage first.",
        _ => "Check the image's platform and the repository's scanning configuration, or scan with another scanner.",
    };

    private async Task<EcrScanFindings?> TryDescribeFindingsAsync(string repository, EcrImageId image, CancellationToken cancellationToken)
    {
        try
        {
            return await DescribeImageScanFindingsAsync(repository, image, cancellationToken).ConfigureAwait(false);
        }
        catch (EcrException e) when (e.Type == "ScanNotFoundException")
        {
            return null;
        }
    }
}
