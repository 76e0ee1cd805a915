namespace CloudAge.Tools.Container;

/// <summary>
/// A known failure of a container tool (engine down, failed build step, registry refusal, scan gate):
/// the message is a complete sentence for the user, already redacted, so callers print it without a stack trace.
/// </summary>
public sealed class ContainerException : CloudAge.Common.Errors.ToolException
{
    public ContainerException(string message) : base(message) { }

    public ContainerException(string message, Exception innerException) : base(message, innerException) { }

    public ContainerException() { }
}
