using System.Net;
using System.Security.Authentication;
using CloudAge.Common.Errors;

namespace CloudAge.Common.Net;

/// <summary>
/// The HTTP handler chain every client of a peer (registry, ECR, EKS, Argo CD) sends through: redirects are followed
/// by <see cref="RedirectGuard"/> so credentials never reach another origin, and answers are capped by
/// <see cref="ResponseLimit"/> so a hostile or broken server cannot fill memory. Written here once; the tools only
/// choose the cap.
/// </summary>
public static class SafeHttp
{
    /// <summary>Enough for any JSON answer of the APIs we call (an ECR scan with thousands of findings is a few MB).</summary>
    public const long DefaultMaxResponseBytes = 32L * 1024 * 1024;

    /// <summary>A <see cref="SocketsHttpHandler"/> without automatic redirects, wrapped in the redirect guard and the size cap.</summary>
    public static HttpMessageHandler CreateHandler(long maxResponseBytes = DefaultMaxResponseBytes, SocketsHttpHandler? inner = null)
    {
        inner ??= new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) };
        // The framework's own redirect handling keeps Authorization on a same-scheme cross-host hop for some handlers;
        // the guard below does it instead, with the rule written down.
        inner.AllowAutoRedirect = false;
        return new ResponseLimit(maxResponseBytes) { InnerHandler = new RedirectGuard { InnerHandler = inner } };
    }

    /// <summary>True when the failure is a TLS handshake or certificate problem: not transient, so not worth a retry.</summary>
    public static bool IsTlsFailure(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is AuthenticationException || e is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError })
                return true;
        }
        return false;
    }

    /// <summary>The origin (scheme, host, port) of a URL, the unit credentials are scoped to.</summary>
    public static string Origin(Uri uri) => $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}".ToLowerInvariant();
}

/// <summary>An answer larger than the client's cap; a failure to report, not to retry.</summary>
public sealed class ResponseTooLargeException(string message) : ToolException(message);

/// <summary>A redirect the guard will not follow (to plain http from https, or too many hops).</summary>
public sealed class RedirectRefusedException(string message) : ToolException(message);

/// <summary>
/// Follows up to five redirects itself. On a hop to another origin (scheme, host or port) it drops every header that
/// carries a credential, as browsers and curl do (curl: "--location-trusted" is the opt-in to send them on); a hop from
/// https to http is refused outright. 303 (and 301/302 after POST) become a GET without a body; 307/308 repeat the request.
/// </summary>
public sealed class RedirectGuard : DelegatingHandler
{
    private const int MaxRedirects = 5;

    private static readonly string[] CredentialHeaders = ["Authorization", "Proxy-Authorization", "Cookie", "X-Registry-Auth", "X-Amz-Security-Token"];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var current = request;
        for (var hop = 0; IsRedirect(response.StatusCode) && response.Headers.Location is { } location; hop++)
        {
            var from = current.RequestUri!;
            var to = location.IsAbsoluteUri ? location : new Uri(from, location);
            if (hop >= MaxRedirects)
            {
                response.Dispose();
                throw new RedirectRefusedException($"{Origin(from)} redirected more than {MaxRedirects} times; check the server address.");
            }
            if (from.Scheme == Uri.UriSchemeHttps && to.Scheme != Uri.UriSchemeHttps)
            {
                response.Dispose();
                throw new RedirectRefusedException($"{Origin(from)} redirected to a plain {to.Scheme} address ({Origin(to)}); refusing to follow it, since requests there would travel unencrypted. Give the server's https address.");
            }
            var next = new HttpRequestMessage(MethodAfter(response.StatusCode, current.Method), to) { Version = current.Version, VersionPolicy = current.VersionPolicy };
            if (next.Method == current.Method)
                next.Content = current.Content;
            var sameOrigin = SafeHttp.Origin(from) == SafeHttp.Origin(to);
            foreach (var (name, values) in current.Headers)
            {
                if (!sameOrigin && CredentialHeaders.Contains(name, StringComparer.OrdinalIgnoreCase))
                    continue;
                next.Headers.TryAddWithoutValidation(name, values);
            }
            next.Headers.Host = null;
            response.Dispose();
            response = await base.SendAsync(next, cancellationToken).ConfigureAwait(false);
            current = next;
        }
        return response;
    }

    private static bool IsRedirect(HttpStatusCode status) => (int)status is 301 or 302 or 303 or 307 or 308;

    private static HttpMethod MethodAfter(HttpStatusCode status, HttpMethod method) =>
        status == HttpStatusCode.SeeOther || ((int)status is 301 or 302 && method == HttpMethod.Post) ? (method == HttpMethod.Head ? method : HttpMethod.Get) : method;

    private static string Origin(Uri uri) => uri.GetLeftPart(UriPartial.Authority);
}

/// <summary>
/// Caps the body of every answer: a declared Content-Length over the cap fails at once, an undeclared (chunked) body
/// fails when the cap is crossed while it is read, so at most the cap is ever held in memory.
/// </summary>
public sealed class ResponseLimit(long maxBytes) : DelegatingHandler
{
    public long MaxBytes { get; } = maxBytes;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var where = request.RequestUri?.GetLeftPart(UriPartial.Path) ?? "the server";
        if (response.Content.Headers.ContentLength is { } length && length > MaxBytes)
        {
            response.Dispose();
            throw TooLarge(where, $"{length} bytes");
        }
        var original = response.Content;
        var limited = new StreamContent(new LimitedStream(await original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), MaxBytes, () => TooLarge(where, "more")));
        foreach (var (name, values) in original.Headers)
            limited.Headers.TryAddWithoutValidation(name, values);
        response.Content = limited;
        return response;
    }

    private ResponseTooLargeException TooLarge(string where, string size) =>
        new($"{where} answered with {size} than the {MaxBytes / (1024 * 1024)} MB this client accepts; that is not an answer of the API it expects, so check the address (a proxy or another service may be answering).");

    private sealed class LimitedStream(Stream inner, long max, Func<Exception> tooLarge) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int read)
        {
            _read += read;
            if (_read > max)
                throw tooLarge();
            return read;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
