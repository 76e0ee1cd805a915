using CloudAge.Testing;
using CloudAge.Tools.Aws.CloudFormation;
using CloudAge.Tools.Aws.Tests.Fixtures;
using CloudAge.Tools.Aws.Transport;

namespace CloudAge.Tools.Aws.Tests.Transport;

/// <summary>
/// The transport ECR, CloudFormation and EKS share (signing, retries, the last failure), seen through CloudFormation
/// against the real moto server behind a fault proxy; ECR's and EKS's own fault tests go through the same code.
/// </summary>
[Collection(MotoServerGroup.Name)]
public sealed class AwsTransportTests(MotoServer moto) : IAsyncLifetime
{
    private readonly LogCapture _log = new();
    private Uri _moto = null!;

    public async Task InitializeAsync() => _moto = await moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    // The per-try timeout leaves moto room on a loaded machine (3 s was seen to run out on its cold first answer).
    private CloudFormationClient Client(Uri endpoint, int attempts, double attemptSeconds = 8) =>
        new(MotoServer.Session(), _log.Masker, _log.Log, new CloudFormationClientOptions
        {
            Endpoint = endpoint,
            MaxAttempts = attempts,
            FirstRetryDelay = TimeSpan.FromMilliseconds(20),
            MaxRetryDelay = TimeSpan.FromMilliseconds(100),
            AttemptTimeout = TimeSpan.FromSeconds(attemptSeconds),
        });

    [IntegrationFact(Needs.Moto)]
    public async Task An_unavailable_answer_and_a_dropped_connection_are_retried_with_one_line_each()
    {
        await using var proxy = new FaultProxy(_moto, Fault.ServiceUnavailable, Fault.Drop);
        using var client = Client(proxy.Endpoint, attempts: 3);

        var stack = await client.DescribeStackAsync("cloudage-none");

        Assert.Null(stack); // moto's real answer on the third try: no such stack
        Assert.Equal(3, proxy.Requests);
        var retries = _log.Lines.Where(l => l.Contains("retrying in", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, retries.Count);
        Assert.StartsWith("CloudFormation DescribeStacks answered ServiceUnavailable (HTTP 503); retrying in", retries[0]);
        Assert.Contains("(try 2 of 3)", retries[0]); // the try about to be made
        Assert.Contains("(try 3 of 3)", retries[1]);
    }

    [IntegrationFact(Needs.Moto)]
    public async Task When_the_tries_are_used_up_the_error_names_the_endpoint_the_tries_and_the_last_answer()
    {
        await using var proxy = new FaultProxy(_moto, Fault.ServiceUnavailable, Fault.ServiceUnavailable);
        using var client = Client(proxy.Endpoint, attempts: 2);

        var error = await Assert.ThrowsAsync<CloudFormationException>(() => client.DescribeStackAsync("cloudage-none"));

        Assert.Equal($"CloudFormation DescribeStacks at {proxy.Endpoint} still failed after 2 tries; the last answer was HTTP 503 ServiceUnavailable: " +
            "<html><body>503 Service Temporarily Unavailable</body></html>", error.Message);
        Assert.Equal(2, proxy.Requests);
    }

    [IntegrationFact(Needs.Moto)]
    public async Task An_endpoint_that_never_answers_is_said_to_give_no_answer_not_to_be_unreachable()
    {
        // A hung endpoint takes the connection and answers nothing: the message used to read "could not be reached after
        // 2 tries (Timeout: The operation didn't complete within the allowed timeout of '00:00:03'. -> The operation was
        // canceled. -> Unable to read data from the transport connection: Operation canceled. -> Operation canceled)".
        await using var proxy = new FaultProxy(_moto, Fault.Hang, Fault.Hang);
        using var client = Client(proxy.Endpoint, attempts: 2, attemptSeconds: 3);

        var error = await Assert.ThrowsAsync<CloudFormationException>(() => client.DescribeStackAsync("cloudage-none"));

        Assert.Equal($"CloudFormation DescribeStacks at {proxy.Endpoint} did not answer after 2 tries; each waited up to 3 s. " +
            "Check the network, the region and any --aws-endpoint override.", error.Message);
        Assert.Equal("Timeout", error.Code);
        Assert.Contains(_log.Lines, l => l.StartsWith("CloudFormation DescribeStacks did not answer within 3 s; retrying in", StringComparison.Ordinal));
    }

    [IntegrationFact(Needs.Moto)]
    public async Task A_TLS_failure_is_not_retried_and_is_the_services_error_at_its_endpoint()
    {
        // moto speaks plain HTTP: an https:// endpoint on its port fails in the TLS handshake, the same on every try.
        var endpoint = new UriBuilder(_moto) { Scheme = "https" }.Uri;
        using var client = Client(endpoint, attempts: 3);

        var error = await Assert.ThrowsAsync<CloudFormationException>(() => client.DescribeStackAsync("cloudage-none"));

        Assert.StartsWith($"CloudFormation DescribeStacks at {endpoint} could not be reached after 1 try (ConnectionFailed: ", error.Message);
        Assert.Matches(@"\(ConnectionFailed: [^)]* -> [^)]+\)", error.Message); // the TLS cause itself, not only "see inner exception"
        Assert.DoesNotContain(_log.Lines, l => l.Contains("retrying", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"__type":"com.amazonaws.ecr#RepositoryNotFoundException","message":"no such repository"}""", "RepositoryNotFoundException", "no such repository")]
    [InlineData("""{"code":"ThrottlingException","Message":"Rate exceeded"}""", "ThrottlingException", "Rate exceeded")]
    [InlineData("<ErrorResponse><Error><Code>ValidationError</Code><Message>Stack with id x does not exist &amp; never did</Message></Error></ErrorResponse>",
        "ValidationError", "Stack with id x does not exist & never did")]
    [InlineData("<html><body>502 Bad Gateway</body></html>", null, null)]
    [InlineData("{ not json", null, null)]
    public void Error_answers_of_every_protocol_give_their_code_and_message(string body, string? code, string? message) =>
        Assert.Equal((code, message), AwsErrorBody.Parse(body));
}
