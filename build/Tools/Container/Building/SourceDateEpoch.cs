using System.Globalization;
using CloudAge.Common.Processes;

namespace CloudAge.Tools.Container.Building;

/// <summary>
/// The time an image says it was created, fixed by its source rather than the clock (the reproducible-builds
/// SOURCE_DATE_EPOCH convention, https://reproducible-builds.org/specs/source-date-epoch/): SOURCE_DATE_EPOCH when set,
/// else the commit time of HEAD. An unchanged commit rebuilt with the layer cache then gives the same image digest.
/// </summary>
public static class SourceDateEpoch
{
    public static async Task<DateTimeOffset> ResolveAsync(ProcessRunner runner, string repository, string? sourceDateEpoch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runner);
        if (!string.IsNullOrWhiteSpace(sourceDateEpoch))
        {
            return long.TryParse(sourceDateEpoch.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : throw new ArgumentException($"SOURCE_DATE_EPOCH '{sourceDateEpoch}' is not a number of seconds since 1970, e.g. 1764547200; unset it to use the commit time.");
        }
        var result = await runner.RunAsync(new ProcessSpec("git", ["log", "-1", "--format=%ct", "HEAD"])
        {
            WorkingDirectory = repository,
            ThrowOnFailure = false,
            StreamOutput = false,
        }, cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0 && long.TryParse(result.StandardOutput.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var commit)
            ? DateTimeOffset.FromUnixTimeSeconds(commit)
            : throw new InvalidOperationException($"Cannot read the commit time of HEAD in {repository} (git said: {result.StandardError.Trim()}); " +
                "set SOURCE_DATE_EPOCH to the seconds since 1970 the image should say it was created.");
    }
}
