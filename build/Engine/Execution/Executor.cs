using System.Diagnostics;
using CloudAge.Engine.Hosts;
using CloudAge.Engine.Output;
using CloudAge.Engine.Planning;

namespace CloudAge.Engine.Execution;

/// <summary>How the executor runs a plan.</summary>
public sealed record ExecutionSettings(bool Parallel, bool ContinueOnFailure, int MaxParallelism);

/// <summary>
/// Stage 5: runs the scheduled targets. Sequentially in plan order, or with --parallel as soon as every target that
/// must come first has finished, bounded by the core count. A target's log is written as one block in parallel runs.
/// </summary>
internal sealed class Executor(BuildConsole console, IBuildHost host, ExecutionSettings settings, BuildBase build)
{
    private readonly Lock _gate = new();
    private bool _stopped;

    public async Task RunAsync(ExecutionPlan plan, CancellationToken cancellationToken)
    {
        if (!settings.Parallel)
        {
            foreach (var entry in plan.Targets)
                await RunOneAsync(plan, entry, cancellationToken);
            return;
        }

        var scheduled = plan.Targets.Select(t => t.Target).ToHashSet();
        var finished = plan.Targets.ToDictionary(t => t.Target, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        using var slots = new SemaphoreSlim(Math.Max(1, settings.MaxParallelism));
        var tasks = plan.Targets.Select(async entry =>
        {
            try
            {
                await Task.WhenAll(Planner.Predecessors(entry.Target, scheduled).Select(p => finished[p].Task));
                await slots.WaitAsync(CancellationToken.None);
                try
                {
                    await RunOneAsync(plan, entry, cancellationToken);
                }
                finally
                {
                    slots.Release();
                }
            }
            finally
            {
                finished[entry.Target].SetResult();
            }
        }).ToList();
        await Task.WhenAll(tasks);
    }

    private async Task RunOneAsync(ExecutionPlan plan, PlannedTarget entry, CancellationToken cancellationToken)
    {
        // Skipped by the planner, or left out by --dry-run.
        if (entry.Status != TargetStatus.Scheduled)
            return;
        if (cancellationToken.IsCancellationRequested)
        {
            entry.Status = TargetStatus.NotRun;
            entry.Note = "cancelled";
            return;
        }
        var blocked = entry.Target.ExecutionDependencies
            .Select(plan.Find)
            .FirstOrDefault(d => d is not null && d.Status is TargetStatus.Failed or TargetStatus.NotRun or TargetStatus.Aborted);
        if (blocked is not null)
        {
            entry.Status = TargetStatus.NotRun;
            entry.Note = $"dependency '{blocked.Name}' {(blocked.Status == TargetStatus.Failed ? "failed" : "did not run")}";
            return;
        }
        lock (_gate)
        {
            if (_stopped && !entry.Target.AssuredAfterFailure)
            {
                entry.Status = TargetStatus.NotRun;
                entry.Note = "an earlier target failed";
                return;
            }
        }

        var log = new TargetLog(console, settings.Parallel, host);
        // Both flow into everything the target awaits and end with this method, so parallel targets never mix them up.
        Log.Scope = log;
        build.CurrentTarget = entry.Name;
        var stopwatch = Stopwatch.StartNew();
        log.Add(host.TargetHeader(entry.Name));
        try
        {
            var falseCondition = entry.Target.DynamicConditions.FirstOrDefault(c => !c.Evaluate());
            if (falseCondition is not null)
            {
                entry.Status = TargetStatus.Skipped;
                entry.Note = falseCondition.WhenFalse("OnlyWhenDynamic");
                log.Add($"Skipped: {entry.Note.TrimEnd('.')}.", Style.Dim);
                return;
            }
            entry.Status = TargetStatus.Running;
            foreach (var action in entry.Target.Actions)
                await action(cancellationToken);
            entry.Status = entry.Target.Actions.Count == 0 ? TargetStatus.Collective : TargetStatus.Succeeded;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            entry.Status = TargetStatus.Aborted;
            entry.Note = "cancelled";
            Stop(entry);
        }
        catch (Exception e)
        {
            entry.Status = TargetStatus.Failed;
            build.MarkFailed(entry.Name);
            entry.Failure = e;
            var message = ErrorReport.Message(e);
            entry.Note = console.Masker.Redact(message.Split('\n')[0].TrimEnd('\r'));
            log.Add($"Target '{entry.Name}' failed: {message}", Style.Error);
            if (console.Verbosity == Cli.Verbosity.Verbose)
                log.Add(ErrorReport.Unwrap(e).ToString(), Style.Dim);
            host.ReportFailure(entry.Name, message, console);
            Stop(entry);
        }
        finally
        {
            stopwatch.Stop();
            entry.Duration = stopwatch.Elapsed;
            entry.Outputs = build.OutputsOf(entry.Name);
            if (host.TargetFooter(entry.Name) is { } footer)
                log.Add(footer);
            log.Flush();
        }
    }

    private void Stop(PlannedTarget entry)
    {
        lock (_gate)
        {
            if (!settings.ContinueOnFailure && !entry.Target.ProceedAfterFailure)
                _stopped = true;
        }
    }
}
