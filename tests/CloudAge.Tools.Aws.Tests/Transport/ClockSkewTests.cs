using System.Globalization;
using System.Net;
using System.Text;
using CloudAge.Testing;
using CloudAge.Tools.Aws.CloudFormation;
using CloudAge.Tools.Aws.Ecr;
using CloudAge.Tools.Aws.Tests.Fixtures;

namespace CloudAge.Tools.Aws.Tests.Transport;

/// <summary>
/// A machine whose clock is off by more than AWS allows: AWS refuses the signature's time, names its own in the Date
/// header, and the transport signs again with AWS's time, as the AWS SDK for .NET does (aws-sdk-net RetryPolicy
/// "Clock skew correction"; AWS Developer Tools Blog "Clock-skew correction"). The real moto server answers behind a
/// stand-in for AWS's time check, which moto does not make.
/// </summary>
[Collection(MotoServerGroup.Name)]
public sealed class ClockSkewTests(MotoServer moto) : IAsyncLifetime
{
    private static readonly TimeSpan Behind = TimeSpan.FromHours(-1);

    private readonly LogCapture _log = new();
    private Uri _moto = null!;

    public async Task InitializeAsync() => _moto = await moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [IntegrationFact(Needs.Moto)]
    public async Task ECR_refusing_a_signature_from_a_clock_an_hour_behind_is_asked_again_with_AWS_time()
    {
        var aws = new AwsTimeCheck(json: true);
        using var client = new EcrClient(MotoServer.Session(), _log.Masker, _log.Log,
            new EcrClientOptions { Endpoint = _moto, TimeProvider = new OffsetTime(Behind) }, aws);

        var login = await client.GetAuthorizationTokenAsync();
        var repositories = await Assert.ThrowsAsync<EcrException>(() => client.DescribeRepositoriesAsync(["cloudage-none"]));

        Assert.Equal("AWS", login.UserName);
        Assert.Equal("RepositoryNotFoundException", repositories.Type); // moto's own answer: the time check passed
        Assert.Equal(1, aws.Refused); // the second call is signed with AWS's time from the start
        var line = Assert.Single(_log.Lines, l => l.Contains("clock", StringComparison.Ordinal));
        Assert.StartsWith("ECR GetAuthorizationToken: AWS refused the request's time (InvalidSignatureException); this machine's clock is 60 min behind AWS's.", line);
    }

    [IntegrationFact(Needs.Moto)]
    public async Task CloudFormation_answering_SignatureDoesNotMatch_for_an_expired_signature_is_asked_again_with_AWS_time()
    {
        var aws = new AwsTimeCheck(json: false);
        using var client = new CloudFormationClient(MotoServer.Session(), _log.Masker, _log.Log,
            new CloudFormationClientOptions { Endpoint = _moto, TimeProvider = new OffsetTime(Behind) }, aws);

        var stack = await client.DescribeStackAsync("cloudage-none");

        Assert.Null(stack);
        Assert.Equal(1, aws.Refused);
    }

    [IntegrationFact(Needs.Moto)]
    public async Task A_signature_refused_while_the_clocks_agree_is_not_asked_again()
    {
        // Wrong keys, not a wrong clock: the same answer code, but AWS's Date is within the five minutes.
        var aws = new AwsTimeCheck(json: true) { RefuseEverySignature = true };
        using var client = new EcrClient(MotoServer.Session(), _log.Masker, _log.Log, new EcrClientOptions { Endpoint = _moto }, aws);

        var error = await Assert.ThrowsAsync<EcrException>(() => client.GetAuthorizationTokenAsync());

        Assert.Equal("InvalidSignatureException", error.Type);
        Assert.Equal(1, aws.Refused);
        Assert.DoesNotContain(_log.Lines, l => l.Contains("clock", StringComparison.Ordinal));
    }

    /// <summary>
    /// AWS's rule for a signed request: X-Amz-Date must be within five minutes of AWS's time, else the request is refused
    /// with the text botocore #149 quotes ("Signature expired: 20131008T001036Z is now earlier than 20131008T001112Z
    /// (20131008T001612Z - 5 min.)"): InvalidSignatureException (HTTP 400) in the JSON protocols, SignatureDoesNotMatch
    /// (HTTP 403) in the Query protocol; every AWS answer carries a Date header. Requests in time go on to moto.
    /// </summary>
    private sealed class AwsTimeCheck(bool json) : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _refused;

        public bool RefuseEverySignature { get; init; }

        public int Refused => Volatile.Read(ref _refused);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var now = DateTimeOffset.UtcNow;
            var signed = DateTimeOffset.ParseExact(request.Headers.GetValues("X-Amz-Date").Single(), "yyyyMMdd'T'HHmmss'Z'",
                CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            var expired = signed < now.AddMinutes(-5);
            if (!expired && !RefuseEverySignature)
                return await base.SendAsync(request, cancellationToken);
            Interlocked.Increment(ref _refused);
            var message = expired
                ? $"Signature expired: {signed:yyyyMMdd'T'HHmmss'Z'} is now earlier than {now.AddMinutes(-5):yyyyMMdd'T'HHmmss'Z'} ({now:yyyyMMdd'T'HHmmss'Z'} - 5 min.)"
                : "The request signature we calculated does not match the signature you provided.";
            var response = json
                ? new HttpResponseMessage(HttpStatusCode.BadRequest)
                {
                    Content = new StringContent($$"""{"__type":"InvalidSignatureException","message":"{{message}}"}""", Encoding.UTF8, "application/x-amz-json-1.1"),
                }
                : new HttpResponseMessage(HttpStatusCode.Forbidden)
                {
                    Content = new StringContent($"<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>{message}</Message></Error><RequestId>1</RequestId></ErrorResponse>",
                        Encoding.UTF8, "text/xml"),
                };
            response.Headers.Date = now;
            return response;
        }
    }

    private sealed class OffsetTime(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
    }
}
