using System.Net;
using CloudAge.Common.Net;
using CloudAge.Common.Text;
using Polly.Timeout;

namespace CloudAge.Tools.Container.Registry;

// The token request itself: retried on 5xx, 429 and connection failures like every registry call, and each way it can
// fail turned into a sentence that says what to check.
internal sealed partial class TokenAuthenticator
{
    private async Task<string> RequestAsync(Uri uri, Uri registry, CancellationToken cancellationToken)
    {
        var where = TokenService(uri, registry);
        var pipeline = retry.HttpPipeline(
            outcome => outcome.Exception is HttpRequestException e && !SafeHttp.IsTlsFailure(e) || outcome.Result is { } r && RegistryErrors.IsTransient(r.StatusCode),
            log, $"Token service {uri.GetLeftPart(UriPartial.Path)}", retry.AttemptTimeoutOrDefault());
        HttpResponseMessage response;
        try
        {
            response = await pipeline.ExecuteAsync(async token =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                request.Headers.Authorization = credentials?.Basic();
                return await http.SendAsync(request, token).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException e)
        {
            throw new ContainerException($"{where} did not answer within {retry.AttemptTimeoutOrDefault().TotalSeconds:0} s, in {retry.MaxAttempts} tries; check that {uri.Authority} can be reached from here (a proxy or firewall may be in the way).", e);
        }
        catch (Exception e) when (SafeHttp.IsTlsFailure(e))
        {
            throw new ContainerException(masker.Redact($"{where} could not be reached: the TLS connection failed ({e.GetBaseException().Message}); check the service's certificate."), e);
        }
        catch (Exception e) when (e is HttpRequestException or ResponseTooLargeException or RedirectRefusedException)
        {
            throw new ContainerException(masker.Redact(
                $"{where} could not be reached in {retry.MaxAttempts} tries ({PeerText.OneLine(e.GetBaseException().Message)}); check that {uri.Authority} can be reached from here."), e);
        }
        using (response)
        {
            if (response.IsSuccessStatusCode)
                return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var answer = await RegistryErrors.DescribeAsync(response, cancellationToken).ConfigureAwait(false);
            throw new ContainerException(masker.Redact(response.StatusCode switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => credentials is null
                    ? $"{where} refused a token without credentials ({answer}); the repository is not public, so pass a username and password for the registry."
                    : $"{where} refused a token for user '{credentials.Username}' ({answer}); check the credentials.",
                _ when ContainerRetry.AsksTooLong(response) =>
                    $"{where} answered {answer}, and asks for a pause of {ContainerRetry.AskedPause(response)!.Value.TotalSeconds:0} s before another try; try again after that.",
                var status when RegistryErrors.IsTransient(status) => $"{where} answered {answer}, in each of {retry.MaxAttempts} tries; it is failing or overloaded, so try again later.",
                _ => $"{where} answered {answer}; check the registry address and the repository name.",
            }));
        }
    }
}
