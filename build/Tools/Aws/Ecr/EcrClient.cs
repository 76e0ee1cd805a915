using CloudAge.Common.Secrets;
using CloudAge.Tools.Aws.Credentials;
using CloudAge.Tools.Aws.Transport;

namespace CloudAge.Tools.Aws.Ecr;

/// <summary>
/// A small typed client for the Amazon ECR API, written by hand because AWSSDK.ECR is not served here.
/// Each call is <c>POST /</c> with an <c>X-Amz-Target</c>, signed with SigV4 (service <c>ecr</c>), retried on
/// throttling and transient failures. Secrets it handles (keys, tokens, the registry password) go to the masker.
/// </summary>
public sealed partial class EcrClient : IDisposable
{
    private readonly AwsSession _session;
    private readonly SecretMasker _masker;
    private readonly Action<string> _log;
    private readonly EcrClientOptions _options;
    private readonly AwsTransport _transport;

    /// <param name="handler">The HTTP handler to send through (tests, proxies); a new SocketsHttpHandler when null.</param>
    public EcrClient(AwsSession session, SecretMasker masker, Action<string> log, EcrClientOptions? options = null, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        _session = session;
        _masker = masker;
        _log = message => log(masker.Redact(message));
        _options = options ?? new EcrClientOptions();
        if (_options.MaxAttempts < 1)
            throw new ArgumentException("MaxAttempts must be at least 1.", nameof(options));
        Endpoint = _options.Endpoint ?? AwsEndpoints.EcrApi(session.Region);
        _transport = CreateTransport(handler);
    }

    public Uri Endpoint { get; }

    public void Dispose() => _transport.Dispose();
}
