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
            {
                var token = await provider(cancellationToken);
                if (string.IsNullOrWhiteSpace(token))
                    throw new ClusterException("The cluster token provider returned an empty token; check the AWS credentials and the EKS cluster name.");
                masker.Add(token);
                _token = token;
                _expires = time.GetUtcNow() + lifetime;
            }
            return new AuthenticationHeaderValue("Bearer", _token);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
