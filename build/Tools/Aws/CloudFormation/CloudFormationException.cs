using System.Net;

namespace CloudAge.Tools.Aws.CloudFormation;

/// <summary>
/// CloudFormation refused a call or could not be reached. <see cref="Code"/> is the AWS error code (ValidationError,
/// Throttling, ChangeSetNotFound, ...) or ConnectionFailed / Timeout. The message names the call, the endpoint and the answer.
/// </summary>
public sealed class CloudFormationException : CloudAge.Common.Errors.ToolException
{
    public CloudFormationException() : this("CloudFormation call failed.") { }

    public CloudFormationException(string message) : base(message)
    {
        Code = string.Empty;
        ServiceMessage = message;
    }

    public CloudFormationException(string message, Exception innerException) : base(message, innerException)
    {
        Code = string.Empty;
        ServiceMessage = message;
    }

    internal CloudFormationException(string code, string serviceMessage, HttpStatusCode? status, string message) : base(message)
    {
        Code = code;
        ServiceMessage = serviceMessage;
        StatusCode = status;
    }

    public string Code { get; }

    /// <summary>What the service said, without this client's context.</summary>
    public string ServiceMessage { get; }

    public HttpStatusCode? StatusCode { get; }

    internal bool IsTransient =>
        Code is "Throttling" or "ThrottlingException" or "RequestLimitExceeded" or "ServiceUnavailable" or "InternalFailure"
        || StatusCode is HttpStatusCode.TooManyRequests || (int?)StatusCode >= 500;
}
