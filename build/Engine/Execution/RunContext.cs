namespace CloudAge.Engine.Execution;

/// <summary>
/// What a run takes from its process: environment, output, working directory. Tests pass their own.
/// <c>CancelOnCtrlC</c>: Ctrl+C (SIGINT) and SIGTERM cancel the run; only the real process sets it.
/// </summary>
public sealed record RunContext(
    IReadOnlyDictionary<string, string> Environment,
    TextWriter Output,
    string WorkingDirectory,
    bool IsTerminal = false,
    bool CancelOnCtrlC = false,
    CancellationToken Cancellation = default);
