using System.Diagnostics;
using CloudAge.Common.Processes;
using CloudAge.Common.Secrets;

namespace CloudAge.Engine.Tests;

/// <summary>
/// A program the runner stops (cancellation, timeout) gets SIGINT first, so it can clean up, and is killed only when it
/// does not exit within its grace. Real processes: sh with traps, and git holding its index lock.
/// </summary>
public sealed class ProcessStopTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly List<string> _log = [];

    public void Dispose() => _temp.Dispose();

    private ProcessRunner Runner() => new(new SecretMasker(), line => { lock (_log) _log.Add(line); });

    [Fact]
    public async Task A_cancelled_program_gets_SIGINT_and_its_handler_runs_before_it_exits()
    {
        var started = _temp.PathOf("started");
        var cleaned = _temp.PathOf("cleaned");
        using var cancellation = new CancellationTokenSource();
        var run = Runner().RunAsync(new ProcessSpec("sh", ["-c", $"trap 'touch {cleaned}; exit 130' INT; touch {started}; while :; do sleep 0.1; done"]), cancellation.Token);
        await WaitForAsync(started, run);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.True(File.Exists(cleaned), "the program was killed without the chance to run its SIGINT handler");
    }

    [Fact]
    public async Task A_program_that_ignores_SIGINT_is_killed_after_its_grace()
    {
        var started = _temp.PathOf("started");
        using var cancellation = new CancellationTokenSource();
        var watch = Stopwatch.StartNew();
        var run = Runner().RunAsync(new ProcessSpec("sh", ["-c", $"trap '' INT; touch {started}; while :; do sleep 0.1; done"]) { InterruptGrace = TimeSpan.FromMilliseconds(500) }, cancellation.Token);
        await WaitForAsync(started, run);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"the kill after the grace did not come ({watch.Elapsed})");
    }

    [Fact]
    public async Task The_processes_a_stopped_program_started_are_stopped_with_it()
    {
        var started = _temp.PathOf("started");
        var survived = _temp.PathOf("survived");
        using var cancellation = new CancellationTokenSource();
        // A background job of a non-interactive shell ignores SIGINT (POSIX, Shell Command Language 2.11), as a hook
        // or helper that keeps going after its parent would: it must not outlive the stop and act afterwards.
        var run = Runner().RunAsync(new ProcessSpec("sh", ["-c", $"(sleep 3; touch {survived}) & touch {started}; wait"]) { InterruptGrace = TimeSpan.FromMilliseconds(500) }, cancellation.Token);
        await WaitForAsync(started, run);

        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        await Task.Delay(TimeSpan.FromSeconds(4));

        Assert.False(File.Exists(survived), "a child of the stopped program went on after the stop");
    }

    [Fact]
    public async Task A_timed_out_program_is_interrupted_first_and_the_timeout_is_reported()
    {
        var cleaned = _temp.PathOf("cleaned");
        var run = Runner().RunAsync(new ProcessSpec("sh", ["-c", $"trap 'touch {cleaned}; exit 130' INT; while :; do sleep 0.1; done"]) { Timeout = TimeSpan.FromSeconds(1) });

        var error = await Assert.ThrowsAsync<TimeoutException>(() => run);

        Assert.Contains("did not finish within", error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(cleaned), "the timed-out program was killed without the chance to run its SIGINT handler");
    }

    [Fact]
    public async Task Git_stopped_while_it_holds_its_index_lock_removes_the_lock()
    {
        // git commit -a holds .git/index.lock while its pre-commit hook runs (builtin/commit.c, prepare_index); killed then, git leaves the lock and every
        // later command that writes the index fails with "Unable to create '.../index.lock': File exists".
        var repository = _temp.PathOf("repo");
        var runner = Runner();
        await runner.RunAsync(new ProcessSpec("git", ["init", "--quiet", repository]) { StreamOutput = false });
        File.WriteAllText(Path.Combine(repository, "file.txt"), "content\n");
        await Git(runner, repository, "add", "file.txt");
        await Git(runner, repository, "commit", "--quiet", "-m", "first");
        File.WriteAllText(Path.Combine(repository, "file.txt"), "changed\n");
        var started = _temp.PathOf("hook.started");
        var hook = Path.Combine(repository, ".git", "hooks", "pre-commit");
        File.WriteAllText(hook, $"#!/bin/sh\ntouch '{started}'\nexec sleep 60\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var cancellation = new CancellationTokenSource();
        var commit = runner.RunAsync(GitSpec(repository, "commit", "--all", "--quiet", "-m", "change"), cancellation.Token);
        await WaitForAsync(started, commit);
        Assert.True(File.Exists(Path.Combine(repository, ".git", "index.lock")), "git should hold its index lock while the hook runs");

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => commit);
        Assert.False(File.Exists(Path.Combine(repository, ".git", "index.lock")), "git was stopped without removing .git/index.lock");
        File.Delete(hook);
        await Git(runner, repository, "commit", "--all", "--quiet", "-m", "after the stop");
    }

    private static ProcessSpec GitSpec(string repository, params string[] arguments) =>
        new("git", ["-C", repository, "-c", "user.name=test", "-c", "user.email=test@example.com", .. arguments]) { StreamOutput = false };

    private static Task<ProcessResult> Git(ProcessRunner runner, string repository, params string[] arguments) =>
        runner.RunAsync(GitSpec(repository, arguments));

    private static async Task WaitForAsync(string marker, Task run)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(marker) && !run.IsCompleted && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Assert.True(File.Exists(marker), "the program never reached the point where it waits");
    }
}
