using System.Text.Json;
using System.Text.RegularExpressions;
using CloudAge.Common.Text;

namespace CloudAge.Tools.Aws.Transport;

/// <summary>
/// The code and message of an AWS error answer, whatever the protocol: JSON (<c>__type</c> or <c>code</c>, and
/// <c>message</c>), as ECR and EKS answer, or XML (<c>&lt;Code&gt;</c>, <c>&lt;Message&gt;</c>), as the Query
/// protocol (CloudFormation, STS) answers; emulators sometimes pass one service's form through another. All of it is
/// the peer's text, and whatever answers in AWS's place (a proxy, an emulator) may send anything: so the code, the
/// message and a snippet come out as one bounded line here, once for every AWS client.
/// </summary>
internal static partial class AwsErrorBody
{
    private const int MaxCodeLength = 100;
    private const int MaxMessageLength = 600;
    private const int MaxSnippetLength = 300;

    public static (string? Code, string? Message) Parse(string body)
    {
        var trimmed = body.TrimStart();
        if (trimmed.StartsWith('{'))
        {
            try
            {
                using var document = JsonDocument.Parse(trimmed);
                var root = document.RootElement;
                return (NormalizeCode(Text(root, "__type") ?? Text(root, "code")), Message(Text(root, "message") ?? Text(root, "Message")));
            }
            catch (JsonException)
            {
                return (null, null);
            }
        }
        var code = XmlCode().Match(body);
        var message = XmlMessage().Match(body);
        return (code.Success ? NormalizeCode(System.Net.WebUtility.HtmlDecode(code.Groups[1].Value)) : null,
            message.Success ? Message(System.Net.WebUtility.HtmlDecode(message.Groups[1].Value)) : null);
    }

    /// <summary>
    /// The error code of an answer: REST-JSON names it in <c>X-Amzn-Errortype</c>; the body's <c>__type</c>, <c>code</c>
    /// or XML <c>Code</c> stands in when the header is missing (a proxy dropped it, another protocol).
    /// </summary>
    public static string? CodeOf(HttpResponseMessage response, string body) =>
        NormalizeCode(response.Headers.TryGetValues("X-Amzn-Errortype", out var types) ? types.FirstOrDefault() : null) ?? Parse(body).Code;

    /// <summary>The code to name when the body gave none: the reason phrase without its spaces ("ServiceUnavailable").</summary>
    public static string CodeFromReason(HttpResponseMessage response) =>
        NormalizeCode(response.ReasonPhrase?.Replace(" ", string.Empty, StringComparison.Ordinal)) ?? "HttpError";

    /// <summary>"aws.protocoltests#ThrottlingException:http://..." becomes "ThrottlingException".</summary>
    public static string? NormalizeCode(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
            return null;
        var colon = code.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
            code = code[..colon];
        var hash = code.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
            code = code[(hash + 1)..];
        return PeerText.OneLine(code, MaxCodeLength);
    }

    /// <summary>The start of a body that is not the expected answer, to show what came back.</summary>
    public static string Snippet(string body)
    {
        var text = body.Trim();
        return text.Length == 0 ? "(empty body)" : PeerText.OneLine(text, MaxSnippetLength);
    }

    private static string? Message(string? text) => text is null ? null : PeerText.OneLine(text, MaxMessageLength);

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    [GeneratedRegex("<Code>([^<]*)</Code>")]
    private static partial Regex XmlCode();

    [GeneratedRegex("<Message>([^<]*)</Message>")]
    private static partial Regex XmlMessage();
}
