using CloudAge.Engine.Tests.Fixtures;

namespace CloudAge.Engine.Tests;

public sealed class ExecutionTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void A_failed_target_stops_its_dependents_and_the_rest_but_not_assured_targets()
    {
        var build = new FailureBuild();

        var (exitCode, output) = _harness.Run(build, "--no-logo");

        Assert.Equal(1, exitCode);
        Assert.Equal(["Setup", "Cleanup"], build.Ran);
        Assert.Contains("Target 'Breaks' failed: the registry said no", output);
        Assert.Matches(@"AfterBreak\s+NotRun\s+–\s+dependency 'Breaks' failed", output);
        Assert.Matches(@"Independent\s+NotRun\s+–\s+an earlier target failed", output);
        Assert.Contains("Build failed in", output);
    }

    [Fact]
    public void Continue_runs_targets_that_do_not_depend_on_the_failed_one()
    {
        var build = new FailureBuild();

        var (exitCode, _) = _harness.Run(build, "--continue");

        Assert.Equal(1, exitCode);
        Assert.Equal(["Setup", "Independent", "Cleanup"], build.Ran);
    }

    [Fact]
    public void FailedTargets_names_the_targets_that_failed_so_far_so_a_condition_can_refuse_to_run_after_them()
    {
        var build = new FailureBuild();

        var (exitCode, output) = _harness.Run(build, "GatedRun", "--continue");

        Assert.Equal(1, exitCode);
        Assert.Equal(["Setup", "Cleanup"], build.Ran);
        Assert.Equal(["Breaks"], build.FailedTargets);
        Assert.Matches(@"Gated\s+Skipped\s+–\s+'Breaks' failed in this run", output);
    }

    [Fact]
    public void ProceedAfterFailure_lets_later_targets_run()
    {
        var build = new FailureBuild();

        var (exitCode, output) = _harness.Run(build, "TolerantRun");

        Assert.Equal(1, exitCode);
        Assert.Equal(["Later"], build.Ran);
        Assert.Matches(@"Tolerant\s+Failed\s+[\d.]+ s\s+tolerated", output);
    }

    [Fact]
    public void A_false_dynamic_condition_is_evaluated_after_the_dependencies_ran()
    {
        var build = new DynamicBuild { Flag = true };

        var (exitCode, output) = _harness.Run(build);

        Assert.Equal(0, exitCode);
        Assert.Equal(["Before", "Default"], build.Ran);
        Assert.Contains("OnlyWhenDynamic: Flag was false", output);
    }

    [Fact]
    public void Triggers_runs_the_triggered_target_after_the_trigger_and_not_the_other_way_round()
    {
        var deploy = new TriggerBuild();
        var announce = new TriggerBuild();

        var first = _harness.Run(deploy, "Deploy", "--no-logo");
        var second = _harness.Run(announce, "Announce", "--no-logo");

        Assert.Equal((0, 0), (first.ExitCode, second.ExitCode));
        Assert.Equal(["Deploy", "Announce"], deploy.Ran);
        Assert.Equal(["Announce"], announce.Ran);
    }

    [Fact]
    public void WhenSkipped_Execute_runs_the_dependencies_of_a_target_its_condition_skips()
    {
        var build = new TriggerBuild();

        var (exitCode, output) = _harness.Run(build, "Optional", "--no-logo");

        Assert.Equal(0, exitCode);
        Assert.Equal(["Prepare"], build.Ran);
        Assert.Matches(@"Optional\s+Skipped\s+–\s+there is nothing to publish", output);
    }

    [Fact]
    public void By_default_a_skipped_target_takes_its_unneeded_dependencies_with_it()
    {
        var build = new TriggerBuild();

        var (exitCode, output) = _harness.Run(build, "Cascading", "--no-logo");

        Assert.Equal(0, exitCode);
        Assert.Empty(build.Ran);
        Assert.Matches(@"Prepare\s+Skipped\s+–\s+dependency of skipped 'Cascading'", output);
    }

    [Fact]
    public void A_condition_with_a_reason_shows_the_reason_not_the_code()
    {
        var build = new TriggerBuild();

        var (exitCode, output) = _harness.Run(build, "Late", "--no-logo");

        Assert.Equal(0, exitCode);
        Assert.Equal(["Prepare"], build.Ran);
        Assert.Contains("Skipped: the registry already has this image.", output);
        Assert.Matches(@"Late\s+Skipped\s+–\s+the registry already has this image", output);
        Assert.DoesNotContain("was false", output);
        Assert.DoesNotContain("() =>", output);
    }

    [Fact]
    public void Parallel_runs_independent_targets_at_the_same_time_and_keeps_each_log_together()
    {
        var build = new ParallelBuild();

        var (exitCode, output) = _harness.Run(build, "--parallel");

        Assert.Equal(0, exitCode);
        Assert.Equal(2, build.MaxConcurrency);
        Assert.Equal("Third", build.Ran.Last());
        var lines = output.Split('\n').Where(l => l.Contains(" line ")).Select(l => l.Split(' ')[0]).ToList();
        var blocks = lines.Where((name, i) => i == 0 || lines[i - 1] != name).ToList();
        Assert.Equal(3, blocks.Count);
        var summary = output[output.IndexOf("Target   ", StringComparison.Ordinal)..];
        Assert.True(summary.IndexOf("First", StringComparison.Ordinal) < summary.IndexOf("Second", StringComparison.Ordinal));
        Assert.True(summary.IndexOf("Second", StringComparison.Ordinal) < summary.IndexOf("Third", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_parallel_targets_run_one_at_a_time_in_plan_order()
    {
        var build = new ParallelBuild();

        var (exitCode, _) = _harness.Run(build);

        Assert.Equal(0, exitCode);
        Assert.Equal(1, build.MaxConcurrency);
        Assert.Equal(["First", "Second", "Third"], build.Ran);
    }

    [Fact]
    public void Cancelling_stops_an_awaited_target_and_reports_it_aborted()
    {
        var build = new SlowBuild();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        _harness.Cancellation = cancellation.Token;

        var (exitCode, output) = _harness.Run(build, ["After"], "--no-logo");

        Assert.Equal(130, exitCode);
        Assert.Empty(build.Ran);
        Assert.Matches(@"Wait\s+Aborted\s+[\d.]+ s\s+cancelled", output);
        Assert.Matches(@"After\s+NotRun", output);
        Assert.Contains("'Wait' was cancelled", output);
    }

    [Fact]
    public void Cancelling_during_a_target_that_does_not_watch_the_token_fails_the_run_instead_of_reporting_success()
    {
        var build = new UnwatchfulBuild();
        using var cancellation = new CancellationTokenSource();
        _harness.Cancellation = cancellation.Token;
        _ = Task.Run(() =>
        {
            build.Started.Wait();
            cancellation.Cancel();
        });

        var (exitCode, output) = _harness.Run(build, ["Deploy"], "--no-logo");

        Assert.Equal(["Busy"], build.Ran);
        Assert.Matches(@"Deploy\s+NotRun\s+–\s+cancelled", output);
        Assert.DoesNotContain("Build succeeded", output);
        Assert.Contains("Build cancelled in", output);
        Assert.Contains("'Deploy' did not run.", output);
        Assert.Equal(130, exitCode);
    }

    [Fact]
    public void Dry_run_shows_the_plan_and_runs_nothing()
    {
        var build = new PipelineBuild();

        var (exitCode, output) = _harness.Run(build, ["Compile"], "--dry-run");

        Assert.Equal(0, exitCode);
        Assert.Empty(build.Ran);
        Assert.Contains("Dry run: nothing will change.", output);
        Assert.Matches(@"3\. Compile\s+would run", output);
    }

    [Fact]
    public void Bad_usage_exits_with_2_and_runs_nothing()
    {
        var build = new PipelineBuild();

        var (exitCode, output) = _harness.Run(build, ["Compile"], "Complie");

        Assert.Equal(2, exitCode);
        Assert.Empty(build.Ran);
        Assert.Contains("Did you mean 'Compile'?", output);
    }

    [Fact]
    public void A_cycle_fails_before_anything_runs()
    {
        var (exitCode, output) = _harness.Run(new CycleBuild(), ["A"], []);

        Assert.Equal(2, exitCode);
        Assert.Contains("A -> B -> C -> A", output);
    }
}
