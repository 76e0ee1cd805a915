using System.Diagnostics;

namespace CloudAge.Testing;

/// <summary>
/// Removes, when disposed, every local image of the named repositories, under any registry host too
/// (<c>cloudage-gate-1a2b</c> and <c>127.0.0.1:5000/cloudage-gate-1a2b</c>), so a test that builds through
/// <c>./build.sh</c> leaves the engine as it found it. Best effort: an engine that is gone by then is left alone.
/// </summary>
public sealed class LocalImages(params string[] repositories) : IDisposable
{
    public void Dispose()
    {
        if (Docker("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}") is not { } listed)
            return;
        // A tag is removed by name (an image with other tags keeps them); an untagged image of the repository
        // (left when a later build took its tag) by its ID.
        var doomed = listed.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ', 2))
            .Where(parts => parts.Length == 2 && repositories.Any(repository => Names(parts[0], repository)))
            .Select(parts => parts[0].EndsWith(":<none>", StringComparison.Ordinal) ? parts[1] : parts[0])
            .Distinct().ToList();
        if (doomed.Count > 0)
            Docker(["rmi", "-f", .. doomed]);
    }

    /// <summary>True when <paramref name="reference"/> (NAME:TAG) is an image of <paramref name="repository"/> on any host.</summary>
    public static bool Names(string reference, string repository)
    {
        var colon = reference.LastIndexOf(':');
        var name = colon > reference.LastIndexOf('/') ? reference[..colon] : reference;
        return name == repository || name.EndsWith("/" + repository, StringComparison.Ordinal);
    }

    private static string? Docker(params string[] arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("docker", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(60_000))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }
            return process.ExitCode == 0 ? output.Result : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no docker CLI
        }
    }
}
