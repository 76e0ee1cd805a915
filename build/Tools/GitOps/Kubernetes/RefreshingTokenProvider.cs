using System.Net;
using System.Net.Http.Headers;
using CloudAge.Common.Secrets;
using k8s.Authentication;

namespace CloudAge.Tools.GitOps.Kubernetes;

/// <summary>A bearer token that is fetched again before it expires: a rollout wait can outlast one EKS token.</summary>
internal sealed class RefreshingTokenProvider(
    Func<CancellationToken, Task<string>> provider, SecretMasker masker, TimeSpan lifetime, TimeProvider time) : ITokenProvider, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset _expires;

    public async Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_token is null || time.GetUtcNow() >= _expires)
                await FetchAsync(cancellationToken);
            return new AuthenticationHeaderValue("Bearer", _token);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The server refused <paramref name="rejected"/>: a fresh token's header, or null when the provider has no
    /// other token to offer (asking again with the same one would only be refused again).</summary>
    public async Task<AuthenticationHeaderValue?> RenewAsync(AuthenticationHeaderValue rejected, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Another request may have renewed it meanwhile; only the token that was refused is thrown away.
            if (_token == rejected.Parameter)
                await FetchAsync(cancellationToken);
            return _token == rejected.Parameter ? null : new AuthenticationHeaderValue("Bearer", _token);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task FetchAsync(CancellationToken cancellationToken)
    {
        var token = await provider(cancellationToken);
        if (string.IsNullOrWhiteSpace(token))
            throw new ClusterException("The cluster token provider returned an empty token; check the AWS credentials and the EKS cluster name.");
        masker.Add(token);
        _token = token;
        _expires = time.GetUtcNow() + lifetime;
    }

    public void Dispose() => _gate.Dispose();
}

/// <summary>
/// Sends a request refused with 401 once more with a fresh token. An EKS token is refused before the client's clock says
/// it expires when that clock is behind the API server's (aws-iam-authenticator pkg/token/token.go: valid 15 minutes
/// from the X-Amz-Date signed into it), and a 10-minute wait must not fail for that. client-go does the same for exec
/// credential plugins: a 401 makes it fetch new credentials (plugin/pkg/client/auth/exec/exec.go, roundTripper).
/// </summary>
internal sealed class ReauthenticatingHandler(RefreshingTokenProvider tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized || request.Headers.Authorization is not { } rejected)
            return response;
        var fresh = await tokens.RenewAsync(rejected, cancellationToken);
        if (fresh is null)
            return response;
        response.Dispose();
        request.Headers.Authorization = fresh;
        return await base.SendAsync(request, cancellationToken);
    }
}
