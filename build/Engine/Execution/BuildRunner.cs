using System.Diagnostics;
using System.Runtime.InteropServices;
using CloudAge.Common.IO;
using CloudAge.Common.Processes;
using CloudAge.Common.Secrets;
using CloudAge.Common.Text;
using CloudAge.Engine.Cli;
using CloudAge.Engine.Hosts;
using CloudAge.Engine.Output;
using CloudAge.Engine.Parameters;
using CloudAge.Engine.Planning;

namespace CloudAge.Engine.Execution;

/// <summary>
/// The whole pipeline of a run, top-down: parse the command line -> bind parameters -> create targets -> validate
/// the graph -> plan -> check requirements -> execute -> summary. Exit codes: 0 success, 1 a target failed, 2 bad usage,
/// 130 cancelled (Ctrl+C), 143 terminated (SIGTERM), as a shell reports a program that signal stopped.
/// </summary>
public static class BuildRunner
{
    public static int Run<T>(string[] args, RunContext context, IReadOnlyList<string> defaultTargets)
        where T : BuildBase, new() =>
        Run(new T(), args, context, defaultTargets);

    public static int Run(BuildBase build, string[] args, RunContext context, IReadOnlyList<string> defaultTargets)
    {
        var masker = new SecretMasker();
        var onGitHub = GitHubActionsHost.Detect(context.Environment);
        var console = new BuildConsole(context.Output, BuildConsole.ShouldColor(context.Environment, context.IsTerminal), masker, Verbosity.Normal, onGitHub);
        IBuildHost host = onGitHub ? new GitHubActionsHost(context.Environment, masker) : new TerminalHost();
        console.WriteLines(host.Start());
        try
        {
            var parameters = ParameterDescriptor.For(build.GetType());
            var options = CommandLineParser.Parse(args, parameters, build);
            console = new BuildConsole(context.Output, console.Color, masker, options.Verbosity, onGitHub);
            var root = new AbsolutePath(options.Root is { } r ? Path.Combine(context.WorkingDirectory, r) : FindRoot(context.WorkingDirectory));
            // Every target reads and writes below the root: one that does not exist would only show as odd findings later.
            if (options.Root is not null && !Directory.Exists(root))
                throw new UsageException($"--root {UserText.Printable(options.Root, 260)}: no such folder; pass the repository's folder, such as --root . or --root ~/src/cloudage.");
            Prepare(build, root, host, masker, context, options);
            // --help and --write-schema describe the build and read no values: no parameters files, no conversions.
            if (!options.Help && !options.WriteSchema)
                build.ParameterSources = ParameterBinder.Bind(build, parameters, new ParameterSources(options.ParameterValues, context.Environment, ParameterFiles(root, options.Profiles, build.TargetNames)), root, masker,
                    warning => console.WriteLines([host.Render(LogLevel.Warning, warning, Style.Warning)]));

            var targets = TargetFactory.Create(build);
            foreach (var name in defaultTargets)
                Planner.Find(targets, name).IsDefault = true;
            GraphValidator.Validate(targets);

            if (options.WriteSchema)
            {
                SchemaWriter.Write(root, targets, parameters);
                return 0;
            }
            if (options.Help)
            {
                console.WriteRaw(HelpWriter.Write(targets, parameters));
                return 0;
            }

            var plan = Planner.Plan(targets, new PlanRequest(options.Targets, options.Skip));
            if (options.Plan)
            {
                WritePlan(plan, options.PlanFormat, root, console);
                return 0;
            }
            RequirementChecker.Check(plan, parameters, build);
            if (options.DryRun)
                DryRunWriter.Write(plan, parameters, build, console);
            if (!options.NoLogo && !options.DryRun)
                console.WriteLine($"{build.BuildName} · {plan.Targets.Count(t => t.Status == TargetStatus.Scheduled)} of {plan.Targets.Count} targets to run · {host.Name}{(options.Parallel ? " · parallel" : string.Empty)}", Style.Dim);
            if (options.DryRun)
                MarkDryRun(plan);
            return Execute(build, plan, options, host, console, context);
        }
        catch (Exception e) when (e is not OperationCanceledException || !context.Cancellation.IsCancellationRequested)
        {
            // The one place a failure outside a target becomes a message and an exit code (see ErrorReport).
            console.WriteLines([host.SetupFailure(ErrorReport.Message(e))]);
            if (console.Verbosity == Verbosity.Verbose || WantsVerbose(args))
                console.WriteLine(ErrorReport.Unwrap(e).ToString(), Style.Dim);
            return ErrorReport.ExitCode(e);
        }
    }

    // Before the command line is parsed (or when parsing failed) the verbosity is read straight from the arguments.
    private static bool WantsVerbose(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].Equals("--verbosity=verbose", StringComparison.OrdinalIgnoreCase)
                || (args[i] == "--verbosity" && i + 1 < args.Length && args[i + 1].Equals("verbose", StringComparison.OrdinalIgnoreCase)))
                return true;
        }
        return false;
    }

    private static void Prepare(BuildBase build, AbsolutePath root, IBuildHost host, SecretMasker masker, RunContext context, BuildOptions options)
    {
        build.RootDirectory = root;
        build.Host = host;
        build.Secrets = masker;
        build.IsDryRun = options.DryRun;
        build.EnvironmentVariables = context.Environment;
        build.Processes = new ProcessRunner(masker, Log.Information);
    }

    // Under --dry-run only targets that can preview their work run; the rest are shown as planned and left alone.
    private static void MarkDryRun(ExecutionPlan plan)
    {
        foreach (var entry in plan.Targets.Where(t => t.Status == TargetStatus.Scheduled && !t.Target.SupportsDryRun))
        {
            entry.Status = TargetStatus.NotRun;
            entry.Note = "--dry-run";
        }
    }

    private static int Execute(BuildBase build, ExecutionPlan plan, BuildOptions options, IBuildHost host, BuildConsole console, RunContext context)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.Cancellation);
        ConsoleCancelEventHandler? onCancel = null;
        PosixSignalRegistration? onTerminate = null;
        var stoppedBy = ErrorReport.Interrupted;
        if (context.CancelOnCtrlC)
        {
            onCancel = (_, e) =>
            {
                // The first Ctrl+C asks targets to stop and lets the summary print; a second one ends the process.
                if (cancellation.IsCancellationRequested)
                    return;
                e.Cancel = true;
                console.WriteLine("Cancelling: waiting for running targets to stop (Ctrl+C again to kill)...", Style.Warning);
                cancellation.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            // SIGTERM (a CI runner cancelling the job, `kill`, `docker stop`) would otherwise end the process at once: no
            // finally block runs, so BumpTag's temporary worktree stays registered and its `git push` goes on as an orphan
            // and lands after the run has ended. It stops the run as Ctrl+C does; whoever sent it follows with SIGKILL
            // when it has waited long enough (GitHub's runner: SIGINT, 7.5 s, SIGTERM, 2.5 s, then kill).
            onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
            {
                signal.Cancel = true;
                if (cancellation.IsCancellationRequested)
                    return;
                stoppedBy = ErrorReport.Terminated;
                console.WriteLine("Terminating (SIGTERM): stopping the running targets...", Style.Warning);
                cancellation.Cancel();
            });
        }
        var stopwatch = Stopwatch.StartNew();
        var executor = new Executor(console, host, new ExecutionSettings(options.Parallel, options.Continue, Environment.ProcessorCount), build);
        try
        {
            executor.RunAsync(plan, cancellation.Token).GetAwaiter().GetResult();
        }
        finally
        {
            if (onCancel is not null)
                Console.CancelKeyPress -= onCancel;
            onTerminate?.Dispose();
        }
        stopwatch.Stop();

        var failed = plan.Targets.Where(t => t.Status is TargetStatus.Failed or TargetStatus.Aborted).ToList();
        // A cancelled run is never a success, even when the target running at the time did not watch the token and
        // finished: the targets after it did not run, and a caller (`./build.sh PushEcr && ./build.sh Deploy`) must stop.
        var cancelled = cancellation.IsCancellationRequested;
        var notRun = cancelled ? plan.Targets.Where(t => t.Status == TargetStatus.NotRun && t.Note == "cancelled").Select(t => $"'{t.Name}' did not run") : [];
        var finalLine = failed.Count == 0 && !cancelled
            ? $"Build succeeded on {DateTime.Now:yyyy-MM-dd HH:mm:ss} in {SummaryTable.Seconds(stopwatch.Elapsed)}."
            : $"Build {(cancelled ? "cancelled" : "failed")} in {SummaryTable.Seconds(stopwatch.Elapsed)}: {string.Join(", ", failed.Select(f => $"'{f.Name}' {(f.Status == TargetStatus.Aborted ? "was cancelled" : "failed")}").Concat(notRun).DefaultIfEmpty("it came after every target had finished"))}.";
        if (options.Verbosity != Verbosity.Quiet || failed.Count > 0)
        {
            console.WriteLine();
            console.WriteRaw(SummaryTable.Text(plan, stopwatch.Elapsed));
            console.WriteLine();
        }
        console.WriteLine(finalLine, failed.Count == 0 && !cancelled ? Style.Success : Style.Error);

        var outputs = plan.Targets.SelectMany(t => t.Outputs).GroupBy(o => o.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        host.WriteOutputs(outputs, build.Secrets);
        host.WriteSummary(plan, finalLine, build.Secrets);
        // A target that failed on a bad value (an InputException) makes the run a usage error, as it would be before the targets.
        if (cancelled)
            return stoppedBy;
        return failed.Count == 0 ? 0 : failed.Max(f => f.Failure is { } e ? ErrorReport.ExitCode(e) : ErrorReport.Failure);
    }

    private static string FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, ".nuke")))
                return dir.FullName;
        }
        return start;
    }

    private static List<ParameterFile> ParameterFiles(AbsolutePath root, IReadOnlyList<string> profiles, IReadOnlyList<string> targets)
    {
        var files = new List<ParameterFile>();
        foreach (var profile in profiles.Reverse())
        {
            var path = root / ".nuke" / $"parameters.{profile}.json";
            // --profile takes every word up to the next option (as NUKE's does), so `--profile ci Deploy` reads Deploy as a profile.
            if (!Exists(path) && targets.FirstOrDefault(t => DidYouMean.Normalize(t) == DidYouMean.Normalize(profile)) is { } target)
                throw new UsageException($"Profile '{UserText.Printable(profile)}' has no file {UserText.Printable(path.RelativeTo(root), 260)}, and {target} is a target: --profile takes every word up to the next option, so name the targets before it, e.g. ./build.sh {target} --profile ci.");
            if (!Exists(path))
                throw new UsageException($"Profile '{UserText.Printable(profile)}' has no file {UserText.Printable(path.RelativeTo(root), 260)}. Create it, or drop --profile {UserText.Printable(profile)}.");
            files.Add(ParameterFile.Load(path));
        }
        var main = root / ".nuke" / "parameters.json";
        if (Exists(main))
            files.Add(ParameterFile.Load(main));
        return files;

        // A folder in the file's place is there (and refused when loaded), not silently skipped.
        static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);
    }

    private static void WritePlan(ExecutionPlan plan, PlanFormat format, AbsolutePath root, BuildConsole console)
    {
        if (format == PlanFormat.Mermaid)
        {
            console.WriteRaw(PlanWriter.Mermaid(plan));
            return;
        }
        console.WriteRaw(PlanWriter.Tree(plan));
        var path = root / ".nuke" / "temp" / "execution-plan.html";
        AtomicFile.Write(path, PlanWriter.Html(plan));
        console.WriteLine($"Plan picture: {path.RelativeTo(root)} (open it in a browser; it loads nothing from the network).", Style.Dim);
    }
}
