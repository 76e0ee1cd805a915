using System.Text;
using CliWrap;
using CloudAge.Common.Secrets;

namespace CloudAge.Common.Processes;

/// <summary>What a finished process left behind; output is already redacted.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError, TimeSpan Duration);

/// <summary>A process that exited non-zero: the message carries the command, exit code and output, redacted.</summary>
public sealed class ProcessException(string commandLine, ProcessResult result)
    : Errors.ToolException($"'{commandLine}' exited with code {result.ExitCode}.{Tail("stderr", result.StandardError)}{Tail("stdout", result.StandardOutput)}")
{
    public string CommandLine { get; } = commandLine;
    public ProcessResult Result { get; } = result;

    private static string Tail(string name, string text)
    {
        text = text.Trim();
        if (text.Length == 0)
            return string.Empty;
        // The end of the output is where tools say what went wrong; keep the message bounded.
        if (text.Length > 4000)
            text = "..." + text[^4000..];
        return $"{Environment.NewLine}{name}:{Environment.NewLine}{text}";
    }
}

/// <summary>A process to run: program, arguments and the environment it adds.</summary>
public sealed record ProcessSpec(string Program, IReadOnlyList<string> Arguments)
{
    public string? WorkingDirectory { get; init; }
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();
    public TimeSpan? Timeout { get; init; }
    /// <summary>When false, a non-zero exit code is returned rather than thrown.</summary>
    public bool ThrowOnFailure { get; init; } = true;
    /// <summary>When false, output lines are captured but not streamed to the log.</summary>
    public bool StreamOutput { get; init; } = true;
    public string? StandardInput { get; init; }
    /// <summary>Environment variables holding a secret that this program needs; every other secret variable is removed.</summary>
    public IReadOnlyList<string> PassSecrets { get; init; } = [];
    /// <summary>
    /// How long a cancelled or timed-out program has, after SIGINT, to clean up and exit before its process tree is killed.
    /// </summary>
    public TimeSpan InterruptGrace { get; init; } = ProcessRunner.DefaultInterruptGrace;
}

/// <summary>
/// The only way CloudAge starts a process. It echoes the command line with every secret replaced by
/// <c>***</c>, streams output lines through the same redaction, and returns or throws with the exit code,
/// stdout and stderr (built on CliWrap). A cancelled or timed-out program is stopped as a terminal's Ctrl+C stops it,
/// then killed: see <see cref="DefaultInterruptGrace"/>.
/// </summary>
public sealed class ProcessRunner(SecretMasker masker, Action<string> log)
{
    /// <summary>
    /// A program being stopped first gets SIGINT, it and the processes it started, then, after this long, SIGKILL for
    /// those still there. Killed at once, git leaves its lock files (<c>index.lock</c>, <c>refs/...lock</c>) and the next
    /// git command in that repository fails until someone deletes them; on SIGINT git removes them before it exits
    /// (git's tempfile.c and lockfile.c: lock files are temp files removed by the handler sigchain_push_common installs).
    /// </summary>
    public static readonly TimeSpan DefaultInterruptGrace = TimeSpan.FromSeconds(5);

    public SecretMasker Masker { get; } = masker;

    public string Format(ProcessSpec spec) =>
        Masker.Redact(string.Join(' ', new[] { spec.Program }.Concat(spec.Arguments.Select(Quote))));

    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken = default)
    {
        var commandLine = Format(spec);
        log($"> {commandLine}");
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var command = Cli.Wrap(spec.Program)
            .WithArguments(spec.Arguments)
            .WithValidation(CommandResultValidation.None)
            .WithEnvironmentVariables(ChildEnvironment(spec))
            .WithStandardOutputPipe(PipeTarget.ToDelegate(line => OnLine(line, stdout)))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line => OnLine(line, stderr)));
        if (spec.WorkingDirectory is not null)
            command = command.WithWorkingDirectory(spec.WorkingDirectory);
        if (spec.StandardInput is not null)
            command = command.WithStandardInputPipe(PipeSource.FromString(spec.StandardInput));

        // Stopping (the caller's cancellation or the timeout) interrupts the program and its children; the kill follows
        // after the grace (ProcessTree says why the children too).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var kill = new CancellationTokenSource();
        CommandResult? result = null;
        ProcessTree? stopped = null;
        try
        {
            var running = command.ExecuteAsync(kill.Token, CancellationToken.None);
            using var onStop = stop.Token.Register(() =>
            {
                stopped = ProcessTree.Snapshot(running.ProcessId);
                if (stopped is null)
                {
                    kill.Cancel(); // the tree cannot be seen here: kill it now while its root still holds it together
                    return;
                }
                stopped.Interrupt();
                kill.CancelAfter(spec.InterruptGrace);
            });
            if (spec.Timeout is { } limit)
                stop.CancelAfter(limit);
            try
            {
                result = await running;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Killed after the grace; said below as the stop it is.
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Could not start '{spec.Program}': {e.Message}. Is it installed and on PATH?", e);
        }
        if (stop.IsCancellationRequested)
        {
            await KillAfterGraceAsync(stopped, kill.Token).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"'{commandLine}' did not finish within {Seconds(spec.Timeout!.Value)}.");
        }

        var processResult = new ProcessResult(result!.ExitCode, Masker.Redact(stdout.ToString()), Masker.Redact(stderr.ToString()), result.RunTime);
        if (result.ExitCode != 0 && spec.ThrowOnFailure)
            throw new ProcessException(commandLine, processResult);
        return processResult;

        void OnLine(string line, StringBuilder sink)
        {
            lock (sink)
                sink.AppendLine(line);
            if (spec.StreamOutput)
                log(Masker.Redact(line));
        }
    }

    /// <summary>
    /// After the program itself has gone: its children had SIGINT too and get the rest of the grace to exit (a hook
    /// that ignores SIGINT, a child that keeps no pipe open), then SIGKILL.
    /// </summary>
    private static async Task KillAfterGraceAsync(ProcessTree? stopped, CancellationToken graceOver)
    {
        if (stopped is null)
            return;
        while (stopped.AnyAlive() && !graceOver.IsCancellationRequested)
            await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
        stopped.KillRemaining(); // only those still running after the grace
    }

    /// <summary>
    /// What the child gets on top of this process's environment: the spec's variables, and every inherited variable whose
    /// value is a secret of the run (a token, a password, AWS keys) removed unless the spec passes it on explicitly.
    /// </summary>
    internal IReadOnlyDictionary<string, string?> ChildEnvironment(ProcessSpec spec)
    {
        var environment = new Dictionary<string, string?>(spec.Environment, StringComparer.Ordinal);
        if (Masker.IsEmpty)
            return environment;
        foreach (System.Collections.DictionaryEntry variable in System.Environment.GetEnvironmentVariables())
        {
            var name = (string)variable.Key;
            if (!environment.ContainsKey(name) && !spec.PassSecrets.Contains(name, StringComparer.Ordinal) && Masker.IsSecret(variable.Value as string))
                environment[name] = null;
        }
        return environment;
    }

    // "2 s", "120 s", "10 min": how long a program was given, in the words of the other messages.
    private static string Seconds(TimeSpan timeout) =>
        timeout.TotalSeconds < 600 || timeout.TotalMinutes % 1 != 0 ? $"{timeout.TotalSeconds:0.#} s" : $"{timeout.TotalMinutes:0} min";

    private static string Quote(string argument) =>
        argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '$' or '`' or '\\')
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
