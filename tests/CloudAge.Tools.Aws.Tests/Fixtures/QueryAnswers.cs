using System.Net;
using System.Text;

namespace CloudAge.Tools.Aws.Tests.Fixtures;

/// <summary>
/// CloudFormation Query API requests and answers in the shapes the API reference shows ("Examples" of DescribeStacks,
/// DescribeStackEvents, ...; "Common Errors"), for the test handlers that stand in for CloudFormation.
/// </summary>
internal static class QueryAnswers
{
    private const string Ns = "http://cloudformation.amazonaws.com/doc/2010-05-15/";

    /// <summary>The form fields of a request body (<c>Action=...&amp;Version=...</c>).</summary>
    public static Dictionary<string, string> Form(string body) =>
        body.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : string.Empty);

    public static HttpResponseMessage Result(string action, string result) => new(HttpStatusCode.OK)
    {
        Content = new StringContent($"<{action}Response xmlns=\"{Ns}\"><{action}Result>{result}</{action}Result>" +
            $"<ResponseMetadata><RequestId>b9b4b068-3a41-11e5-94eb-example</RequestId></ResponseMetadata></{action}Response>", Encoding.UTF8, "text/xml"),
    };

    public static HttpResponseMessage Error(HttpStatusCode status, string code, string message) => new(status)
    {
        Content = new StringContent($"<ErrorResponse xmlns=\"{Ns}\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{WebUtility.HtmlEncode(message)}</Message></Error>" +
            "<RequestId>b9b4b068-3a41-11e5-94eb-example</RequestId></ErrorResponse>", Encoding.UTF8, "text/xml"),
    };

    /// <summary>One <c>StackEvents</c> member of DescribeStackEvents.</summary>
    public static string Event(string stackName, string eventId, DateTime at, string status, string logicalId, string resourceType, string? reason) =>
        $"<member><Timestamp>{at:yyyy-MM-ddTHH:mm:ss.fffZ}</Timestamp><ResourceStatus>{status}</ResourceStatus>" +
        $"<StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/{stackName}/x</StackId><EventId>{eventId}</EventId>" +
        $"<LogicalResourceId>{logicalId}</LogicalResourceId><StackName>{stackName}</StackName><ResourceType>{resourceType}</ResourceType>" +
        (reason is null ? string.Empty : $"<ResourceStatusReason>{WebUtility.HtmlEncode(reason)}</ResourceStatusReason>") + "</member>";
}
