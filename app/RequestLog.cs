using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http.Features;

namespace CloudAge.App;

/// <summary>Where the one-line-per-request access log goes (stdout in the container, a buffer in tests).</summary>
public sealed class RequestLog(TextWriter writer)
{
    private readonly TextWriter _writer = TextWriter.Synchronized(writer);

    public static RequestLog ToConsole() => new(Console.Out);

    internal void Write(string method, string path, int status, TimeSpan elapsed) =>
        _writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {Escape(method)} {Escape(path)} {status} {elapsed.TotalMilliseconds:0.0}ms"));

    /// <summary>
    /// The request's own text made one safe token: control characters (a decoded %0A in the path forges a log line) and
    /// spaces (which would shift the fields) are written as \xNN, as nginx escapes its access log.
    /// </summary>
    internal static string Escape(string text)
    {
        if (!text.Any(c => char.IsControl(c) || c == ' ' || c == '\\'))
            return text;
        var builder = new System.Text.StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (char.IsControl(c) || c == ' ' || c == '\\')
                builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}");
            else
                builder.Append(c);
        }
        return builder.ToString();
    }
}

/// <summary>Writes one access-log line per request after the response is decided.</summary>
internal sealed class RequestLogMiddleware(RequestDelegate next, RequestLog log)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        // An exception escaping the pipeline becomes a 500 further out; log it as such, not as the 200 not yet sent.
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            await next(context);
            status = context.Response.StatusCode;
        }
        finally
        {
            if (!IsPassedHealthCheck(context, status))
                log.Write(context.Request.Method, LoggedTarget(context), status, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>
    /// A health check that passed says nothing, and they come often: per pod, the kubelet's readiness probe every 10 s
    /// and liveness probe every 20 s (k8s/deployment.yaml), and the NLB's check every 10 s from each of its nodes, one per
    /// zone ("Each load balancer node checks the health of each target", AWS ELB guide, "Health checks for Network Load
    /// Balancer target groups"; interval default 10 in kubernetes-sigs/aws-load-balancer-controller
    /// docs/guide/service/annotations.md). Matched by path, not by a spoofable User-Agent; one that fails is logged.
    /// </summary>
    private static bool IsPassedHealthCheck(HttpContext context, int status) =>
        status is >= 200 and < 300 && context.Request.Path.Equals(ServiceApp.HealthPath, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The path only: a query string can carry values that must not reach the log. Kestrel leaves the path empty for
    /// <c>OPTIONS *</c> and <c>CONNECT host:port</c>; their raw target (no query there) keeps the line's fields in place.
    /// </summary>
    private static string LoggedTarget(HttpContext context)
    {
        if (context.Request.Path.HasValue)
            return context.Request.Path.Value;
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        return string.IsNullOrEmpty(raw) ? "-" : raw;
    }
}
