using System.Globalization;
using System.Text.RegularExpressions;

namespace CloudAge.Tools.Aws.Transport;

/// <summary>
/// Whether an error answer says the request was signed with a time AWS does not accept, and AWS's time if so. AWS refuses
/// a signature more than five minutes off its clock; the AWS SDK for .NET then signs again with the server's time
/// (aws-sdk-net <c>RetryPolicy</c>, "Clock skew correction"): always for RequestTimeTooSkewed, RequestExpired and
/// RequestInTheFuture, and for InvalidSignatureException, SignatureDoesNotMatch and AuthFailure (which wrong keys give too)
/// only when the server's time is more than five minutes from the signature's. AWS's time comes from the Date header,
/// else from the message ("Signature expired: ... is now earlier than ... (20261201T100000Z - 5 min.)").
/// </summary>
internal static partial class ClockSkew
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static DateTimeOffset? AwsTime(HttpResponseMessage response, string body, DateTimeOffset signedAt)
    {
        if ((int)response.StatusCode is < 400 or >= 500)
            return null;
        var code = AwsErrorBody.CodeOf(response, body);
        var definite = code is "RequestTimeTooSkewed" or "RequestExpired" or "RequestInTheFuture";
        var possible = code is "InvalidSignatureException" or "SignatureDoesNotMatch" or "AuthFailure";
        if (!(definite || possible) || ServerTime(response, body) is not { } awsTime)
            return null;
        return definite || (awsTime - signedAt).Duration() > Tolerance ? awsTime : null;
    }

    /// <summary>The retry's log line: the answer, how far off this machine's clock is, and what to do about it.</summary>
    public static string Describe(HttpResponseMessage response, string body, TimeSpan correction) =>
        $"AWS refused the request's time ({AwsErrorBody.CodeOf(response, body)}); this machine's clock is {correction.Duration().TotalMinutes:0} min " +
        $"{(correction > TimeSpan.Zero ? "behind" : "ahead of")} AWS's. Signing again with AWS's time; sync this machine's clock (NTP) to stop this.";

    private static DateTimeOffset? ServerTime(HttpResponseMessage response, string body)
    {
        if (response.Headers.Date is { } date)
            return date;
        var match = ExpiredMessageTime().Match(body);
        return match.Success && DateTimeOffset.TryParseExact(match.Groups[1].Value, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
    }

    [GeneratedRegex(@"\((\d{8}T\d{6}Z) [+-] ")]
    private static partial Regex ExpiredMessageTime();
}
