using CloudAge.Common.Processes;

namespace CloudAge.Tools.Container.Scanning;

/// <summary>Runs Trivy on a local image and reads its JSON report.</summary>
public sealed class TrivyScanner(ProcessRunner runner)
{
    /// <summary>Whether <c>trivy</c> can be started (it answers <c>trivy --version</c>).</summary>
    public async Task<bool> IsAvailableAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var result = await runner.RunAsync(new ProcessSpec("trivy", ["--version"]) { ThrowOnFailure = false, StreamOutput = false, Timeout = TimeSpan.FromSeconds(30) },
                cancellationToken).ConfigureAwait(false);
            return result.ExitCode == 0;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Scans <paramref name="image"/>, keeping Trivy's raw report at <paramref name="reportFile"/>.</summary>
    public async Task<IReadOnlyList<VulnerabilityFinding>> ScanAsync(string image, string reportFile, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(reportFile))!);
        try
        {
            await runner.RunAsync(new ProcessSpec("trivy", ["image", "--format", "json", "--output", reportFile, "--quiet", image])
            {
                Timeout = TimeSpan.FromMinutes(15),
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            throw new ContainerException("Trivy is not installed or not on PATH; install it (https://trivy.dev) or choose the ECR scanner.", e);
        }
        return TrivyReport.Parse(await File.ReadAllTextAsync(reportFile, cancellationToken).ConfigureAwait(false));
    }
}
