using CloudAge.Build.Tests.Fixtures;

namespace CloudAge.Build.Tests;

/// <summary>The build program in its own process, stopped by a signal while BumpTag's push is in flight.</summary>
public sealed class CancellationTests : IDisposable
{
    private readonly DeployRemote _remote = new();

    public void Dispose() => _remote.Dispose();

    [Fact]
    public void Sigterm_during_the_BumpTag_push_stops_the_push_removes_the_worktree_and_exits_143()
    {
        // POSIX signals; on Windows a CI runner stops a job with CTRL_BREAK instead.
        if (OperatingSystem.IsWindows())
            return;
        var before = _remote.RemoteHead();
        var (build, output) = _remote.Start("BumpTag", "--image-tag", "1.2.3", "--image-reference", "Tag");
        using (build)
        {
            _remote.SignalWhenPushing(build, "TERM", output);

            Assert.True(build.WaitForExit(60_000), "The build did not stop within 60 s of SIGTERM:\n" + output());
            build.WaitForExit();
            Assert.Equal(143, build.ExitCode);
        }

        Assert.Contains("Build cancelled in", output());
        Assert.False(_remote.HookRunning(), "The push's remote side is still running after the build ended:\n" + output());
        Assert.Equal(before, _remote.RemoteHead());
        Assert.Empty(_remote.ExtraWorktrees());
        Assert.Empty(Directory.EnumerateFileSystemEntries(_remote.Temp, "cloudage-bumptag-*"));
    }
}
