using System.Reflection;
using CloudAge.Common.Errors;

namespace CloudAge.Engine.Execution;

/// <summary>
/// The one mapping from an exception to what the user sees and the exit code, used for failures before the targets run
/// (parameters, graph, plan) and inside a target. A bad value is exit 2, anything else exit 1; the stack trace is
/// printed only under <c>--verbosity verbose</c>, and a failure the tools did not foresee still reads as a sentence.
/// </summary>
public static class ErrorReport
{
    public const int BadInput = 2;
    public const int Failure = 1;
    /// <summary>A run cancelled by Ctrl+C: 128 + SIGINT, what a shell reports for a program the signal stopped.</summary>
    public const int Interrupted = 130;
    /// <summary>A run stopped by SIGTERM (a CI runner cancelling the job): 128 + SIGTERM.</summary>
    public const int Terminated = 143;

    /// <summary>The exception that carries the meaning: aggregate and reflection wrappers are looked through.</summary>
    public static Exception Unwrap(Exception e)
    {
        while (true)
        {
            switch (e)
            {
                case AggregateException { InnerExceptions.Count: 1 } aggregate:
                    e = aggregate.InnerExceptions[0];
                    continue;
                case TargetInvocationException { InnerException: { } inner }:
                    e = inner;
                    continue;
                case TypeInitializationException { InnerException: { } inner }:
                    e = inner;
                    continue;
                default:
                    return e;
            }
        }
    }

    public static int ExitCode(Exception e) => Unwrap(e) is InputException ? BadInput : Failure;

    /// <summary>True for a failure the code foresaw (a tool's sentence); false for one it did not (shown with its type).</summary>
    public static bool IsForeseen(Exception e) => Unwrap(e) is ToolException;

    /// <summary>The sentence for the user: the tool's message and hint, or for an unforeseen failure its type and message.</summary>
    public static string Message(Exception e)
    {
        e = Unwrap(e);
        return e switch
        {
            ToolException tool => tool.Describe(),
            // Build code states its own failures as InvalidOperationException sentences; the others carry the runtime's message.
            InvalidOperationException or TimeoutException or IOException or UnauthorizedAccessException or HttpRequestException => e.Message,
            _ => $"{e.Message} ({e.GetType().Name}; run again with --verbosity verbose for the stack trace, and report it if the message does not say what to do)",
        };
    }
}
