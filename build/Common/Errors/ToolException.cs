namespace CloudAge.Common.Errors;

/// <summary>
/// A failure the user can act on: <see cref="Exception.Message"/> says what failed and where, <see cref="Hint"/> what to
/// do. The engine prints both as one sentence without a stack trace and exits 1; every tool's own exceptions derive
/// from it, so the mapping is written once (in the engine's runner) and never per tool.
/// </summary>
public class ToolException : Exception
{
    public ToolException() { }

    public ToolException(string message) : base(message) { }

    public ToolException(string message, Exception innerException) : base(message, innerException) { }

    public ToolException(string message, string? hint, Exception? innerException = null) : base(message, innerException) => Hint = hint;

    /// <summary>What to do about it, when the message does not already say; printed after the message.</summary>
    public string? Hint { get; init; }

    /// <summary>The message and the hint as the user reads them.</summary>
    public string Describe() => Hint is { Length: > 0 } hint ? $"{Message.TrimEnd()} {hint}" : Message;
}

/// <summary>
/// A bad value given by the user (a flag, an environment variable, a parameters-file key): exit code 2. The message
/// names the parameter, says what is wrong and gives an example of a good value; it never repeats a secret value.
/// </summary>
public class InputException : ToolException
{
    public InputException() { }

    public InputException(string message) : base(message) { }

    public InputException(string message, Exception innerException) : base(message, innerException) { }
}
