using System.Xml;
using System.Xml.Linq;
using CloudAge.Tools.Aws.Transport;
using Polly.Timeout;

namespace CloudAge.Tools.Aws.CloudFormation;

// The AWS Query protocol over the shared AWS transport: a form-encoded POST with Action and Version, an XML answer.
public sealed partial class CloudFormationClient
{
    private const string ApiVersion = "2010-05-15";

    private AwsTransport CreateTransport(HttpMessageHandler? handler) =>
        new("CloudFormation", "cloudformation", _session, _masker, _options,
            e => e is CloudFormationException { IsTransient: true },
            e => e is CloudFormationException cfn ? $"{cfn.Code} (HTTP {(int?)cfn.StatusCode})" : null,
            _log, handler);

    /// <summary>Sends one Query call and returns its <c>&lt;Action&gt;Result</c> element, namespaces removed.</summary>
    private Task<XElement> SendAsync(string action, IReadOnlyList<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        var body = AwsQuery.Body(action, ApiVersion, form);
        return _transport.CallAsync(action, () => AwsQuery.Request(Endpoint, body),
            (response, text) => Read(action, response, text),
            (attempts, last) => GaveUp(action, attempts, last),
            cancellationToken);
    }

    private CloudFormationException GaveUp(string action, int attempts, Exception last)
    {
        if (last is CloudFormationException e)
            return new CloudFormationException(e.Code, e.ServiceMessage, e.StatusCode, _masker.Redact(
                $"CloudFormation {action} at {Endpoint} still failed after {AwsTransport.Tries(attempts)}; the last answer was HTTP {(int?)e.StatusCode} {e.Code}: {e.ServiceMessage}"));
        var code = last is TimeoutRejectedException ? "Timeout" : "ConnectionFailed";
        var detail = AwsTransport.Describe(last);
        return new CloudFormationException(code, detail, null, _masker.Redact(
            $"CloudFormation {action} at {Endpoint} {AwsTransport.Unanswered(attempts, last)}. " +
            "Check the network, the region and any --aws-endpoint override."));
    }

    private XElement Read(string action, HttpResponseMessage response, string text)
    {
        if (!response.IsSuccessStatusCode)
            throw FromErrorAnswer(action, response, text);
        try
        {
            var document = XDocument.Parse(text);
            foreach (var element in document.Descendants())
                element.Name = element.Name.LocalName;
            return document.Root?.Element(action + "Result") ?? document.Root ?? new XElement(action + "Result");
        }
        catch (XmlException e)
        {
            throw new CloudFormationException("InvalidResponse", e.Message, response.StatusCode, _masker.Redact(
                $"CloudFormation {action} at {Endpoint} answered HTTP {(int)response.StatusCode} with a body that is not XML: {AwsErrorBody.Snippet(text)}"));
        }
    }

    private CloudFormationException FromErrorAnswer(string action, HttpResponseMessage response, string body)
    {
        // Query errors are XML; emulators sometimes pass another service's JSON error through (moto does for a failed resource).
        var (code, message) = AwsErrorBody.Parse(body);
        code ??= AwsErrorBody.CodeFromReason(response);
        message = _masker.Redact(message ?? AwsErrorBody.Snippet(body));
        var hint = code switch
        {
            "InvalidClientTokenId" or "SignatureDoesNotMatch" or "ExpiredToken" or "UnrecognizedClientException" =>
                " AWS did not accept the credentials: check which ones are in use (aws sts get-caller-identity) and that they are not expired.",
            "AccessDenied" or "AccessDeniedException" =>
                " The credentials lack a CloudFormation permission (cloudformation:" + action + ") or iam:PassRole for the stack's roles.",
            _ => string.Empty,
        };
        return new CloudFormationException(code, message, response.StatusCode,
            _masker.Redact($"CloudFormation {action} at {Endpoint} answered HTTP {(int)response.StatusCode} {code}: {message}.{hint}"));
    }
}
