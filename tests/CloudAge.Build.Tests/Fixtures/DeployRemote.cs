using System.Diagnostics;

namespace CloudAge.Build.Tests.Fixtures;

/// <summary>
/// A clone of a bare remote holding this repository's k8s/, in a temporary folder that is also the run's TMPDIR (where
/// BumpTag makes its worktrees), with a pre-receive hook on the remote that records its process id and then waits: a
/// push that is in flight for as long as a test needs to signal the build.
/// </summary>
public sealed class DeployRemote : IDisposable
{
    private readonly TempDirectory _directory = new();

    public DeployRemote()
    {
        Remote = _directory.PathOf("remote.git");
        Clone = _directory.PathOf("clone");
        Temp = _directory.PathOf("tmp");
        Directory.CreateDirectory(Temp);
        var seed = _directory.PathOf("seed");
        Git(_directory.Path, $"init -q --bare -b main \"{Remote}\"");
        Git(_directory.Path, $"init -q -b main \"{seed}\"");
        CopyDirectory(Path.Combine(Prerequisites.RepositoryRoot(), "k8s"), Path.Combine(seed, "k8s"));
        Directory.CreateDirectory(Path.Combine(seed, ".nuke"));
        Git(seed, "add -A");
        Git(seed, "-c user.name=t -c user.email=t@example.com commit -q -m init");
        Git(seed, $"push -q \"{Remote}\" main");
        Git(_directory.Path, $"clone -q \"{Remote}\" \"{Clone}\"");
        var hook = Path.Combine(Remote, "hooks", "pre-receive");
        File.WriteAllText(hook, $"#!/bin/sh\necho $$ > '{HookPidFile}'\nexec sleep 120\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(hook, File.GetUnixFileMode(hook) | UnixFileMode.UserExecute);
    }

    public string Remote { get; }
    public string Clone { get; }
    public string Temp { get; }
    public string HookPidFile => _directory.PathOf("hook.pid");

    public string RemoteHead() => Git(Remote, "rev-parse main");

    /// <summary>The worktrees git knows in the clone, besides the clone itself.</summary>
    public IReadOnlyList<string> ExtraWorktrees() =>
        Git(Clone, "worktree list --porcelain").Split('\n').Where(l => l.StartsWith("worktree ", StringComparison.Ordinal)).Skip(1).ToList();

    /// <summary>True while the hook's process runs (a zombie waiting to be reaped has ended).</summary>
    public bool HookRunning()
    {
        var stat = $"/proc/{File.ReadAllText(HookPidFile).Trim()}/stat";
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }
    }

    /// <summary>Starts the build program on the clone with TMPDIR inside this folder; output is collected as it comes.</summary>
    public (Process Process, Func<string> Output) Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = Clone, RedirectStandardOutput = true, RedirectStandardError = true };
        string[] arguments = [BuildProgram.Dll(), .. args, "--root", Clone, "--no-logo"];
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        info.Environment["TMPDIR"] = Temp;
        var output = new System.Text.StringBuilder();
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, () => { lock (output) return output.ToString(); });
    }

    /// <summary>Waits until the push reached the remote's hook, then sends <paramref name="signal"/> (TERM, INT) to the build.</summary>
    public void SignalWhenPushing(Process build, string signal, Func<string> output)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!File.Exists(HookPidFile) || File.ReadAllText(HookPidFile).Trim().Length == 0)
        {
            Assert.True(DateTime.UtcNow < deadline && !build.HasExited, "The push never reached the remote's hook:\n" + output());
            Thread.Sleep(100);
        }
        var (exitCode, text) = ProcessHelper.Run("kill", $"-{signal} {build.Id}", Clone);
        Assert.True(exitCode == 0, text);
    }

    private static string Git(string directory, string arguments)
    {
        var (exitCode, output) = ProcessHelper.Run("git", arguments, directory);
        Assert.True(exitCode == 0, $"git {arguments}: {output}");
        return output.Trim();
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var directory in Directory.EnumerateDirectories(from))
            CopyDirectory(directory, Path.Combine(to, Path.GetFileName(directory)));
    }

    public void Dispose()
    {
        // The hook is only ever left running when the test failed; do not let it outlive the test.
        if (File.Exists(HookPidFile) && HookRunning() && int.TryParse(File.ReadAllText(HookPidFile).Trim(), out var pid))
            ProcessHelper.Run("kill", $"-KILL {pid}", _directory.Path);
        _directory.Dispose();
    }
}
