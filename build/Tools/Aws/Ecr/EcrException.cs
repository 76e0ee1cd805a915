using System.Net;

namespace CloudAge.Tools.Aws.Ecr;

/// <summary>
/// ECR refused a call, or could not be reached. <see cref="Type"/> is the AWS error code
/// (RepositoryNotFoundException, ThrottlingException, ...) or ConnectionFailed / Timeout when nothing answered.
/// The message names the operation, the endpoint and the answer; it never contains a secret.
/// </summary>
public sealed class EcrException : CloudAge.Common.Errors.ToolException
{
    public EcrException(string message) : base(message)
    {
        Type = string.Empty;
        Operation = string.Empty;
        Endpoint = new Uri("about:blank");
        ServiceMessage = message;
    }

    public EcrException(string message, Exception innerException) : base(message, innerException)
    {
        Type = string.Empty;
        Operation = string.Empty;
        Endpoint = new Uri("about:blank");
        ServiceMessage = message;
    }

    public EcrException() : this("ECR call failed.") { }

    internal EcrException(string type, string serviceMessage, string operation, Uri endpoint, HttpStatusCode? statusCode, string message)
        : base(message)
    {
        Type = type;
        ServiceMessage = serviceMessage;
        Operation = operation;
        Endpoint = endpoint;
        StatusCode = statusCode;
    }

    public string Type { get; }

    /// <summary>What the service said (redacted), without the context this client adds.</summary>
    public string ServiceMessage { get; }

    public string Operation { get; }

    public Uri Endpoint { get; }

    public HttpStatusCode? StatusCode { get; }

    /// <summary>How many tries were made before giving up (1 when the error is not worth retrying).</summary>
    public int Attempts { get; internal init; } = 1;

    internal bool IsTransient =>
        Type is "ThrottlingException" or "ThrottledException" or "TooManyRequestsException" or "RequestLimitExceeded"
            or "ServerException" or "ServiceUnavailableException" or "InternalFailure" or "RequestTimeout" or "RequestTimeoutException"
        || StatusCode is HttpStatusCode.TooManyRequests || (int?)StatusCode >= 500;
}
