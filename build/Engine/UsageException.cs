using CloudAge.Common.Errors;

namespace CloudAge.Engine;

/// <summary>The user asked for something the build cannot do as asked: printed as a message, exit code 2.</summary>
public sealed class UsageException(string message) : InputException(message);
