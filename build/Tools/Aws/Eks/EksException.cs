using System.Net;

namespace CloudAge.Tools.Aws.Eks;

/// <summary>
/// EKS answered with an error that is not about the credentials (a 5xx after retries, an unknown cluster, no answer
/// at all). The message names the call, the endpoint and what it answered; it never contains a secret.
/// </summary>
public sealed class EksException : CloudAge.Common.Errors.ToolException
{
    public EksException(string message) : base(message) => Endpoint = new Uri("about:blank");

    public EksException(string message, Exception innerException) : base(message, innerException) => Endpoint = new Uri("about:blank");

    public EksException() : this("EKS call failed.") { }

    internal EksException(Uri endpoint, HttpStatusCode? statusCode, string message, Exception? innerException = null)
        : base(message, hint: null, innerException)
    {
        Endpoint = endpoint;
        StatusCode = statusCode;
    }

    /// <summary>The EKS API endpoint that was called.</summary>
    public Uri Endpoint { get; }

    /// <summary>The HTTP status it answered; null when nothing answered.</summary>
    public HttpStatusCode? StatusCode { get; }
}
