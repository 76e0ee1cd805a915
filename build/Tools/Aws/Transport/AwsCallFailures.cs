namespace CloudAge.Tools.Aws.Transport;

/// <summary>Which failures of a signed AWS API call are worth another try, for every client in this project.</summary>
internal static class AwsCallFailures
{
    // Resets, refused connections and per-try timeouts; a caller's own cancellation is not one of them.
    // A TLS failure answers the same on every try, so it is not one of them.
    public static bool IsConnectionFailure(Exception e) =>
        e is HttpRequestException or Polly.Timeout.TimeoutRejectedException or IOException && !CloudAge.Common.Net.SafeHttp.IsTlsFailure(e);
}
