using System.Net.Http.Headers;

namespace CloudAge.Tools.Aws.Transport;

/// <summary>
/// The request of the AWS Query protocol (CloudFormation, IAM): a form-encoded <c>POST</c> of <c>Action</c>,
/// <c>Version</c> and the call's fields, percent-encoded as SigV4 expects (AWS Query protocol reference). One per try,
/// since a request is sent once.
/// </summary>
public static class AwsQuery
{
    /// <summary>The form body of one call, made once and sent in every try.</summary>
    public static string Body(string action, string apiVersion, IEnumerable<KeyValuePair<string, string>>? fields = null) =>
        string.Join('&', new[] { KeyValuePair.Create("Action", action), KeyValuePair.Create("Version", apiVersion) }.Concat(fields ?? [])
            .Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));

    public static HttpRequestMessage Request(Uri endpoint, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded") { CharSet = "utf-8" };
        return request;
    }
}
