using System.Net;
using CloudAge.Common.Secrets;
using CloudAge.Tools.Aws.Transport;

namespace CloudAge.Tools.Aws.Ecr;

/// <summary>Turns an ECR error answer (JSON <c>__type</c>, the X-Amzn-Errortype header, or an XML/HTML body) into an <see cref="EcrException"/>.</summary>
internal static class EcrErrors
{
    public static EcrException FromResponse(string operation, Uri endpoint, HttpResponseMessage response, string body, SecretMasker masker)
    {
        var (type, message) = AwsErrorBody.Parse(body);
        if (response.Headers.TryGetValues("X-Amzn-Errortype", out var headerTypes))
            type ??= headerTypes.FirstOrDefault();
        type = NormalizeType(type) ?? AwsErrorBody.CodeFromReason(response);
        message = masker.Redact(message ?? AwsErrorBody.Snippet(body));
        var status = response.StatusCode;
        var text = $"ECR {operation} at {endpoint} answered HTTP {(int)status} {type}: {message}{Hint(type, status)}";
        return new EcrException(type, message, operation, endpoint, status, masker.Redact(text));
    }

    public static EcrException GaveUp(string operation, Uri endpoint, int attempts, Exception last, SecretMasker masker)
    {
        if (last is EcrException ecr)
        {
            // Only transient answers (throttling, 5xx) are retried to the end: say that waiting is the remedy, and where else to look.
            var text = $"ECR {operation} at {endpoint} still failed after {AwsTransport.Tries(attempts)}; the last answer was HTTP {(int?)ecr.StatusCode} {ecr.Type}: {ecr.ServiceMessage.TrimEnd('.')}. " +
                "ECR is failing or throttling there: run again in a few minutes (the AWS Health Dashboard shows ECR's state in the region), and check any ECR endpoint override.";
            return new EcrException(ecr.Type, ecr.ServiceMessage, operation, endpoint, ecr.StatusCode, masker.Redact(text)) { Attempts = attempts };
        }
        var type = last is Polly.Timeout.TimeoutRejectedException ? "Timeout" : "ConnectionFailed";
        var detail = masker.Redact(AwsTransport.Describe(last));
        var message = masker.Redact($"ECR {operation} at {endpoint} {AwsTransport.Unanswered(attempts, last)}. " +
            "Check the network, the region and any ECR endpoint override (VPC endpoint, emulator).");
        return new EcrException(type, detail, operation, endpoint, null, message) { Attempts = attempts };
    }

    /// <summary>"aws.protocoltests#ThrottlingException:http://..." becomes "ThrottlingException".</summary>
    internal static string? NormalizeType(string? type) => AwsErrorBody.NormalizeCode(type);

    private static string Hint(string type, HttpStatusCode status) => type switch
    {
        "UnrecognizedClientException" or "InvalidClientTokenId" or "InvalidSignatureException" or "SignatureDoesNotMatch"
            or "ExpiredTokenException" or "MissingAuthenticationTokenException" =>
            ". AWS did not accept the credentials: check which ones are in use (aws sts get-caller-identity), that they are not expired, and the region.",
        "AccessDeniedException" or "AccessDenied" =>
            ". The credentials are valid but lack permission: grant the ECR action in the IAM policy of the role or user.",
        "RepositoryNotFoundException" => ". Create the repository (EnsureRepository) or check its name and the region.",
        _ when status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ". Check the AWS credentials and their permissions.",
        _ => ".",
    };
}
