using CloudAge.Common.Processes;

namespace CloudAge.Tools.Container.Scanning;

/// <summary>Runs Trivy on a local image and reads its JSON report.</summary>
public sealed class TrivyScanner(ProcessRunner runner)
{
    /// <summary>How long one image's scan may take.</summary>
    public static readonly TimeSpan ScanLimit = TimeSpan.FromMinutes(15);

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
        reportFile = Path.GetFullPath(reportFile);
        Directory.CreateDirectory(Path.GetDirectoryName(reportFile)!);
        // Trivy reads .trivyignore and trivy.yaml from its working directory (pkg/flag/report_flags.go IgnoreFileFlag,
        // pkg/flag/global_flags.go ConfigFileFlag) and drops what they list before reporting: run in the repository, a
        // .trivyignore would hide findings from the gate, where a risk is accepted only with a reason and an expiry.
        // It runs in an empty folder of its own instead.
        var folder = Directory.CreateTempSubdirectory("cloudage-trivy-");
        try
        {
            // Trivy gives up after its own --timeout, 5 minutes unless told (pkg/flag/global_flags.go TimeoutFlag), a
            // database download included (pkg/commands/artifact/run.go Run): it gets the time this scan allows, and the
            // process a minute more to write its error.
            await runner.RunAsync(new ProcessSpec("trivy", ["image", "--format", "json", "--output", reportFile, "--quiet", "--timeout", $"{(int)ScanLimit.TotalMinutes}m", image])
            {
                Timeout = ScanLimit + TimeSpan.FromMinutes(1),
                WorkingDirectory = folder.FullName,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            throw new ContainerException("Trivy is not installed or not on PATH; install it (https://trivy.dev) or choose the ECR scanner.", e);
        }
        catch (ProcessException e)
        {
            throw Failed(image, e);
        }
        finally
        {
            try
            {
                folder.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A leftover empty temporary folder is not worth failing a finished scan for.
            }
        }
        return TrivyReport.Parse(await File.ReadAllTextAsync(reportFile, cancellationToken).ConfigureAwait(false));
    }

    // Trivy stops on an error with one FATAL log line, "<time>\tFATAL\tFatal error\t<the chain of errors>", the chain
    // going on over further lines when several sources failed, and exit code 1 (cmd/trivy/main.go log.Fatal,
    // pkg/log/handler.go). Its vulnerability database is an OCI artifact pulled from mirror.gcr.io/aquasec/trivy-db and
    // then ghcr.io/aquasecurity/trivy-db (pkg/db/db.go, --db-repository / TRIVY_DB_REPOSITORY); when neither answers
    // the chain holds "failed to download vulnerability DB" (pkg/db/db.go downloadDB, pkg/commands/operation DownloadDB),
    // and for Java packages "Java DB error" (pkg/commands/artifact/run.go).
    private static ContainerException Failed(string image, ProcessException e)
    {
        var error = e.Result.StandardError;
        var at = error.LastIndexOf("FATAL", StringComparison.Ordinal);
        var reason = at < 0 ? null : error[(at + "FATAL".Length)..].Trim().Replace("Fatal error\t", string.Empty, StringComparison.Ordinal).Replace('\t', ' ');
        if (reason is not null && reason.Length > 2000)
            reason = reason[..2000] + "...";
        var what = (reason ?? $"exit code {e.Result.ExitCode}").TrimEnd('.') + ".";
        if (what.Contains("failed to download vulnerability DB", StringComparison.Ordinal) || what.Contains("Java DB error", StringComparison.Ordinal))
            return new ContainerException($"Trivy could not download its vulnerability database to scan {image}: {what}", e)
            {
                Hint = "Let the runner reach mirror.gcr.io and ghcr.io (where Trivy pulls it from), set TRIVY_DB_REPOSITORY " +
                       "(and TRIVY_JAVA_DB_REPOSITORY) to a mirror of aquasec/trivy-db, or choose --scanner ecr.",
            };
        return new ContainerException($"Trivy could not scan {image}: {what}", e)
        {
            Hint = "Trivy's output above says more; fix what it names, or choose --scanner ecr.",
        };
    }
}
