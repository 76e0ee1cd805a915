using System.Net;
using CloudAge.Tools.Aws.Credentials;
using CloudAge.Tools.Aws.Ecr;
using CloudAge.Tools.Aws.Tests.Fixtures;
using CloudAge.Testing;
using Microsoft.AspNetCore.Http;

namespace CloudAge.Tools.Aws.Tests.Ecr;

/// <summary>Transient failures injected by a loopback proxy in front of the real moto server.</summary>
[Collection(MotoServerGroup.Name)]
public sealed class EcrClientFaultTests(MotoServer moto) : IAsyncLifetime
{
    // Short backoff and per-try timeout keep the suite fast; the shape of the retries is what is tested.
    private static readonly EcrClientOptions FastRetries = new()
    {
        MaxAttempts = 3,
        FirstRetryDelay = TimeSpan.FromMilliseconds(20),
        MaxRetryDelay = TimeSpan.FromMilliseconds(100),
        AttemptTimeout = TimeSpan.FromSeconds(2),
    };

    private readonly LogCapture _log = new();
    private readonly string _name = "cloudage-" + Guid.NewGuid().ToString("N")[..8];
    private Uri _moto = null!;

    public async Task InitializeAsync() => _moto = await moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private EcrClient Client(Uri endpoint, AwsSession? session = null) =>
        new(session ?? MotoServer.Session(), _log.Masker, _log.Log, FastRetries with { Endpoint = endpoint });

    [IntegrationFact(Needs.Moto)]
    public async Task Throttling_backs_off_and_then_succeeds()
    {
        await using var proxy = new FaultProxy(_moto, Fault.Throttle, Fault.Throttle);
        using var client = Client(proxy.Endpoint);

        var repository = await client.CreateRepositoryAsync(_name, EcrTagMutability.Mutable, scanOnPush: true);

        Assert.Equal(_name, repository.Name);
        Assert.Equal(3, proxy.Requests);
        Assert.Equal(2, _log.Lines.Count(line => line.Contains("CreateRepository answered ThrottlingException (HTTP 400); retrying")));
    }

    [IntegrationFact(Needs.Moto)]
    public async Task Service_unavailable_then_recovery_succeeds()
    {
        await using var proxy = new FaultProxy(_moto, Fault.ServiceUnavailable);
        using var client = Client(proxy.Endpoint);

        var login = await client.GetAuthorizationTokenAsync();

        Assert.Equal("AWS", login.UserName);
        Assert.Equal(2, proxy.Requests);
    }

    [IntegrationFact(Needs.Moto)]
    public async Task A_dropped_connection_and_a_hung_answer_are_retried()
    {
        await using var proxy = new FaultProxy(_moto, Fault.Drop, Fault.Hang);
        using var client = Client(proxy.Endpoint);

        var repository = await client.EnsureRepositoryAsync(_name, EcrTagMutability.Immutable, scanOnPush: true);

        Assert.Equal(EcrTagMutability.Immutable, repository.TagMutability);
        // Said in words, not as exception types.
        Assert.Contains(_log.Lines, line => line.Contains("CreateRepository could not be reached (") || line.Contains("DescribeRepositories could not be reached ("));
        Assert.Contains(_log.Lines, line => line.Contains(" did not answer within "));
        Assert.DoesNotContain(_log.Lines, line => line.Contains("Exception", StringComparison.Ordinal));
    }

    [IntegrationFact(Needs.Moto)]
    public async Task Always_failing_gives_up_after_the_bounded_tries_naming_endpoint_operation_and_answer()
    {
        await using var proxy = new FaultProxy(_moto, Fault.ServiceUnavailable, Fault.ServiceUnavailable, Fault.ServiceUnavailable, Fault.ServiceUnavailable);
        using var client = Client(proxy.Endpoint);

        var error = await Assert.ThrowsAsync<EcrException>(() => client.DescribeRepositoriesAsync([_name]));

        Assert.Equal(3, proxy.Requests);
        Assert.Equal(3, error.Attempts);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Contains(proxy.Endpoint.ToString(), error.Message);
        Assert.Contains("DescribeRepositories", error.Message);
        Assert.Contains("after 3 tries", error.Message);
        Assert.Contains("503 Service Temporarily Unavailable", error.Message);
        Assert.EndsWith("run again in a few minutes (the AWS Health Dashboard shows ECR's state in the region), and check any ECR endpoint override.", error.Message);
    }

    [Fact]
    public async Task A_200_that_is_not_ECRs_JSON_shows_what_answered_and_where_to_look()
    {
        // A proxy's sign-in page where ECR should answer: the message used to be the JSON reader's
        // "'<' is an invalid start of a value. Path: $ | LineNumber: 0 | BytePositionInLine: 0."
        await using var server = LoopbackWebApp.Create(async context =>
        {
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html>\n<head><title>Sign in</title></head>\n::error::forged\r\n" + new string('x', 5000));
        });
        await server.StartAsync();
        using var client = Client(new Uri(server.Urls.First() + "/"));

        var error = await Assert.ThrowsAsync<EcrException>(() => client.DescribeRepositoriesAsync([_name]));

        Assert.StartsWith($"ECR DescribeRepositories at {server.Urls.First()}/ answered HTTP 200 with a body that is not ECR's JSON: <html>", error.Message);
        Assert.Contains("Check that the endpoint is ECR's (the region, any --aws-endpoint override", error.Message);
        Assert.DoesNotContain("LineNumber", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.InRange(error.Message.Length, 1, 1000);
    }

    [IntegrationFact(Needs.Moto)]
    public async Task An_endpoint_that_refuses_connections_fails_clearly_after_the_bounded_tries()
    {
        var closed = new Uri("http://127.0.0.1:9/");
        using var client = Client(closed);

        var error = await Assert.ThrowsAsync<EcrException>(() => client.GetAuthorizationTokenAsync());

        Assert.Equal("ConnectionFailed", error.Type);
        Assert.Equal(3, error.Attempts);
        Assert.Contains("http://127.0.0.1:9/", error.Message);
        Assert.Contains("could not be reached after 3 tries", error.Message);
    }

    [IntegrationFact(Needs.Moto)]
    public async Task Wrong_credentials_fail_at_once_with_a_clear_error_and_no_secret()
    {
        // A second moto that checks credentials: unknown keys are refused as real AWS refuses them.
        var checking = await moto.StartAsync(new Dictionary<string, string?> { ["INITIAL_NO_AUTH_ACTION_COUNT"] = "0" });
        const string secret = "wrong-secret-8f14e45fceea167a5a36";
        using var client = Client(checking, MotoServer.Session(secret));

        var error = await Assert.ThrowsAsync<EcrException>(() => client.DescribeRepositoriesAsync([_name]));

        Assert.Equal("InvalidClientTokenId", error.Type);
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal(1, error.Attempts);
        Assert.Contains("AWS did not accept the credentials", error.Message);
        _log.AssertNoneLeaked([secret], error.ToString());
    }

    [IntegrationFact(Needs.Moto)]
    public async Task Secret_key_session_token_and_registry_password_never_reach_logs_or_errors()
    {
        const string secret = "leak-check-secret-c4ca4238a0b923820dcc";
        const string token = "leak-check-session-token-eccbc87e4b5ce2fe28308fd9f2a7baf3";
        await using var proxy = new FaultProxy(_moto, Fault.Throttle, Fault.Drop, Fault.Pass, Fault.ServiceUnavailable, Fault.ServiceUnavailable, Fault.ServiceUnavailable);
        using var client = Client(proxy.Endpoint, MotoServer.Session(secret, token));
        var printed = new List<string?>();

        var login = await client.GetAuthorizationTokenAsync();
        printed.Add(login.ToString());
        printed.Add((await Assert.ThrowsAsync<EcrException>(() => client.DescribeRepositoriesAsync([_name]))).ToString());
        printed.Add((await Assert.ThrowsAsync<EcrException>(() => client.CreateRepositoryAsync("", EcrTagMutability.Mutable, false))).ToString());

        Assert.NotEmpty(_log.Lines);
        _log.AssertNoneLeaked([secret, token, login.Password, login.AuthorizationToken], [.. printed]);
    }
}
