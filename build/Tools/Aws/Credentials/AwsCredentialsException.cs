namespace CloudAge.Tools.Aws.Credentials;

/// <summary>No usable AWS credentials or region; the message lists what was tried and what to do.</summary>
public sealed class AwsCredentialsException : CloudAge.Common.Errors.ToolException
{
    public AwsCredentialsException(string message) : base(message) { }

    public AwsCredentialsException(string message, Exception innerException) : base(message, innerException) { }

    public AwsCredentialsException() { }
}
