using System.Net;
using System.Xml;
using System.Xml.Linq;
using CloudAge.Common.Secrets;
using CloudAge.Tools.Aws.Credentials;
using CloudAge.Tools.Aws.Transport;
using Polly.Timeout;

namespace CloudAge.Tools.Aws.Iam;

/// <summary>
/// The IAM call Provision needs before it deploys: which OpenID Connect providers the account has. The AWS Query protocol
/// (form-encoded <c>POST /</c>, <c>Version=2010-05-08</c>, XML answers) over the shared transport. IAM is global: one
/// endpoint per partition, signed for that partition's IAM Region (botocore <c>partitions.json</c> / endpoint rules:
/// <c>iam.amazonaws.com</c> us-east-1, <c>iam.cn-north-1.amazonaws.com.cn</c> cn-north-1, <c>iam.us-gov.amazonaws.com</c>
/// us-gov-west-1), whatever the session's Region.
/// </summary>
public sealed class IamClient : IDisposable
{
    private const string ApiVersion = "2010-05-08";
    private readonly SecretMasker _masker;
    private readonly AwsTransport _transport;

    public IamClient(AwsSession session, SecretMasker masker, Action<string> log, IamClientOptions? options = null, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        _masker = masker;
        options ??= new IamClientOptions();
        var (endpoint, signingRegion) = GlobalEndpoint(session.Region);
        Endpoint = options.Endpoint ?? endpoint;
        _transport = new AwsTransport("IAM", "iam", session with { Region = signingRegion }, masker, options,
            e => e is IamException { IsTransient: true },
            e => e is IamException iam ? $"{iam.Code} (HTTP {(int?)iam.StatusCode})" : null,
            message => log(masker.Redact(message)), handler);
    }

    public Uri Endpoint { get; }

    /// <summary>The ARNs of the account's IAM OIDC providers (<c>arn:aws:iam::&lt;account&gt;:oidc-provider/&lt;url without https://&gt;</c>).</summary>
    public async Task<IReadOnlyList<string>> ListOpenIdConnectProviderArnsAsync(CancellationToken cancellationToken = default)
    {
        // ListOpenIDConnectProviders takes no input and is not paginated (IAM API Reference).
        const string action = "ListOpenIDConnectProviders";
        var body = AwsQuery.Body(action, ApiVersion);
        var result = await _transport.CallAsync(action, () => AwsQuery.Request(Endpoint, body),
            (response, text) => Read(action, response, text),
            (attempts, last) => GaveUp(action, attempts, last),
            cancellationToken).ConfigureAwait(false);
        return result.Descendants().Where(e => e.Name.LocalName == "Arn").Select(e => e.Value.Trim()).ToList();
    }

    /// <summary>Whether the account has a role of this name (<c>GetRole</c>; <c>NoSuchEntity</c>, HTTP 404, means no).</summary>
    public async Task<bool> RoleExistsAsync(string roleName, CancellationToken cancellationToken = default)
    {
        const string action = "GetRole";
        var body = AwsQuery.Body(action, ApiVersion, [KeyValuePair.Create("RoleName", roleName)]);
        try
        {
            await _transport.CallAsync(action, () => AwsQuery.Request(Endpoint, body), (response, text) => Read(action, response, text),
                (attempts, last) => GaveUp(action, attempts, last), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (IamException e) when (e.Code == "NoSuchEntity")
        {
            return false;
        }
    }

    private static (Uri Endpoint, string SigningRegion) GlobalEndpoint(string region) => region switch
    {
        _ when region.StartsWith("cn-", StringComparison.Ordinal) => (new Uri("https://iam.cn-north-1.amazonaws.com.cn/"), "cn-north-1"),
        _ when region.StartsWith("us-gov-", StringComparison.Ordinal) => (new Uri("https://iam.us-gov.amazonaws.com/"), "us-gov-west-1"),
        _ when Regions.AwsRegions.DnsSuffix(region) == "amazonaws.com" => (new Uri("https://iam.amazonaws.com/"), "us-east-1"),
        _ => (new Uri($"https://iam.{region}.{Regions.AwsRegions.DnsSuffix(region)}/"), region),
    };

    private XElement Read(string action, HttpResponseMessage response, string text)
    {
        if (!response.IsSuccessStatusCode)
        {
            var (code, message) = AwsErrorBody.Parse(text);
            code ??= AwsErrorBody.CodeFromReason(response);
            message = _masker.Redact(message ?? AwsErrorBody.Snippet(text));
            throw new IamException(code, response.StatusCode, _masker.Redact($"IAM {action} at {Endpoint} answered HTTP {(int)response.StatusCode} {code}: {message}."));
        }
        try
        {
            return XDocument.Parse(text).Root ?? new XElement(action + "Response");
        }
        catch (XmlException)
        {
            throw new IamException("InvalidResponse", response.StatusCode, _masker.Redact(
                $"IAM {action} at {Endpoint} answered HTTP {(int)response.StatusCode} with a body that is not XML: {AwsErrorBody.Snippet(text)}"));
        }
    }

    private IamException GaveUp(string action, int attempts, Exception last) => last switch
    {
        IamException e => new IamException(e.Code, e.StatusCode, $"{e.Message} (after {AwsTransport.Tries(attempts)})"),
        _ => new IamException(last is TimeoutRejectedException ? "Timeout" : "ConnectionFailed", null, _masker.Redact(
            $"IAM {action} at {Endpoint} {AwsTransport.Unanswered(attempts, last)}. Check the network and any --aws-endpoint override.")),
    };

    public void Dispose() => _transport.Dispose();
}

/// <summary>How the IAM client reaches the API and how patiently it retries (<see cref="AwsCallOptions"/>).</summary>
public sealed record IamClientOptions : AwsCallOptions
{
    /// <summary>Overrides the partition's IAM endpoint (VPC endpoint, emulator such as moto).</summary>
    public Uri? Endpoint { get; init; }
}

/// <summary>IAM refused a call or could not be reached; <see cref="Code"/> is the AWS error code (AccessDenied, Throttling, ...).</summary>
public sealed class IamException : CloudAge.Common.Errors.ToolException
{
    public IamException() : this("IAM call failed.") { }

    public IamException(string message) : base(message) => Code = string.Empty;

    public IamException(string message, Exception innerException) : base(message, innerException) => Code = string.Empty;

    internal IamException(string code, HttpStatusCode? status, string message) : base(message) => (Code, StatusCode) = (code, status);

    public string Code { get; }

    public HttpStatusCode? StatusCode { get; }

    internal bool IsTransient =>
        Code is "Throttling" or "ThrottlingException" or "RequestLimitExceeded" or "ServiceUnavailable" or "ServiceFailure"
        || StatusCode is HttpStatusCode.TooManyRequests || (int?)StatusCode >= 500;
}
