using Microsoft.AspNetCore.Http;

namespace CloudAge.Testing;

/// <summary>How the loopback proxies pass a request on to the real server behind them and its answer back.</summary>
public static class ProxyForwarding
{
    /// <summary>
    /// Sends the request to <paramref name="upstream"/> (host:port), Host header kept so the server's own URLs (upload
    /// locations) point back through the proxy, and copies the answer back. <paramref name="body"/> replaces the request
    /// body when the proxy has read it already; <paramref name="amend"/> may add headers before the answer's body is sent.
    /// </summary>
    public static Task ForwardAsync(HttpClient client, HttpContext context, string upstream, byte[]? body = null,
        Action<HttpResponseMessage, HttpResponse>? amend = null) =>
        ForwardAsync(client, context, upstream, body is null ? null : new ByteArrayContent(body), amend);

    /// <summary>As above, with the body as content (which sets its own length) and a token that ends the exchange.</summary>
    public static async Task ForwardAsync(HttpClient client, HttpContext context, string upstream, HttpContent? body,
        Action<HttpResponseMessage, HttpResponse>? amend = null, CancellationToken? cancellationToken = null)
    {
        var token = cancellationToken ?? context.RequestAborted;
        var target = new Uri($"http://{upstream}{context.Request.Path}{context.Request.QueryString}");
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), target);
        if (body is not null)
            request.Content = body;
        else if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
            request.Content = new StreamContent(context.Request.Body);
        foreach (var (name, values) in context.Request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
                || (body is not null && name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
                continue;
            if (!request.Headers.TryAddWithoutValidation(name, values.ToArray()))
                request.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
        }
        request.Headers.Host = context.Request.Host.Value;
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && !name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                context.Response.Headers[name] = values.ToArray();
        }
        amend?.Invoke(response, context.Response);
        if (context.Request.Method != "HEAD")
            await response.Content.CopyToAsync(context.Response.Body, token);
    }
}
