using System.Diagnostics;
using System.Net;
using System.Text.Json;
using CloudAge.Common.Text;
using CloudAge.Tools.GitOps.Kubernetes;

namespace CloudAge.Tools.GitOps.Smoke;

/// <summary>
/// Smoke-checks the deployed service at its load balancer URL, retrying while DNS and the load balancer settle and while
/// old replicas still answer; one progress line per change of answer.
/// </summary>
public sealed class SmokeChecker(Action<string> log, HttpMessageHandler? handler = null) : IDisposable
{
    // The answer is capped in size: a load balancer or service that streams forever must not fill memory (SafeHttp).
    private readonly HttpClient _http = new(handler ?? CloudAge.Common.Net.SafeHttp.CreateHandler(1024 * 1024, new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) }),
        disposeHandler: handler is null) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };

    public async Task<SmokeCheckResult> CheckAsync(SmokeCheckRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clock = Stopwatch.StartNew();
        var progress = new WaitProgress(log, request.ProgressInterval, request.Timeout, "still trying");
        string? last = null;
        var delay = request.RetryInterval;
        for (var attempt = 1; ; attempt++)
        {
            // No attempt outlives the overall timeout (the build's --rollout-timeout) by more than a second: each is capped by
            // what is left (a floor of 1 s lets the last one still get an answer).
            var left = request.Timeout - clock.Elapsed;
            var floor = request.RequestTimeout < MinimumAttempt ? request.RequestTimeout : MinimumAttempt;
            var cap = left < request.RequestTimeout ? (left > floor ? left : floor) : request.RequestTimeout;
            var (ok, version, answer) = await TryOnceAsync(request, cap, cancellationToken);
            progress.Report($"GET {request.Url} -> {answer}");
            // An attempt cut short by the overall deadline says less than the answer before it: keep that one for the error.
            if (!(cap < request.RequestTimeout && answer.StartsWith("no answer within", StringComparison.Ordinal) && last is not null))
                last = answer;
            if (ok)
                return new SmokeCheckResult(request.Url, version, attempt, clock.Elapsed);
            var remaining = request.Timeout - clock.Elapsed;
            if (remaining <= TimeSpan.Zero)
                throw TimedOut(request, attempt, last);
            await Task.Delay(Jittered(delay) is var d && d < remaining ? d : remaining, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, request.MaxRetryInterval.Ticks));
            if (request.Timeout - clock.Elapsed <= TimeSpan.Zero)
                throw TimedOut(request, attempt, last);
        }
    }

    private static readonly TimeSpan MinimumAttempt = TimeSpan.FromSeconds(1);

    private static SmokeCheckException TimedOut(SmokeCheckRequest request, int attempts, string? last) =>
        new($"GET {request.Url} did not answer as expected within {request.Timeout.TotalSeconds:0} s " +
            $"({attempts} attempts); last answer: {last}. Check the Service's load balancer, its security groups and the pods' logs.");

    public void Dispose() => _http.Dispose();

    private async Task<(bool Ok, string? Version, string Answer)> TryOnceAsync(SmokeCheckRequest request, TimeSpan requestTimeout, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(requestTimeout);
        try
        {
            using var response = await _http.GetAsync(request.Url, attempt.Token);
            var body = await response.Content.ReadAsStringAsync(attempt.Token);
            if (response.StatusCode != HttpStatusCode.OK)
                return (false, null, $"HTTP {(int)response.StatusCode} {response.StatusCode}");
            var version = Reported(body, "version");
            var commit = Reported(body, "commit");
            var answer = "HTTP 200" + (version is null ? string.Empty : $", version {version}") + (commit is null ? string.Empty : $", commit {commit}");
            if (request.ExpectedVersion is not null && version is not null && !VersionMatches(version, request.ExpectedVersion))
                return (false, version, $"{answer} (waiting for version {request.ExpectedVersion})");
            if (request.ExpectedCommit is not null && commit is not null && !CommitMatches(commit, request.ExpectedCommit))
                return (false, version, $"{answer} (waiting for commit {request.ExpectedCommit})");
            return (true, version, answer);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, null, $"no answer within {requestTimeout.TotalSeconds:0.#} s");
        }
        // A new load balancer's DNS name is published minutes after the Service shows it (NXDOMAIN meanwhile): say that
        // rather than the resolver's "Name or service not known", which reads like a wrong address.
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.NameResolutionError)
        {
            return (false, null, $"the name {request.Url.IdnHost} does not resolve yet (a new load balancer's DNS name can take a few minutes to appear)");
        }
        catch (HttpRequestException e)
        {
            return (false, null, $"connection failed: {e.Message}");
        }
    }

    internal static string? ReportedVersion(string body) => Reported(body, "version");

    // The service (or whatever answers at its address) writes these values, and they go into our progress lines, the
    // timeout error and the result: one bounded line, so a value cannot forge log lines or flood the log. A real version
    // or commit is far shorter than the bound, so comparing it is unchanged.
    private static string? Reported(string body, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return null;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                    return PeerText.OneLine(property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText(), 100);
            }
        }
        catch (JsonException)
        {
        }
        return null;
    }

    internal static bool VersionMatches(string reported, string expected) =>
        string.Equals(reported, expected, StringComparison.Ordinal)
        || (reported.StartsWith(expected + "+", StringComparison.Ordinal) && !expected.Contains('+', StringComparison.Ordinal));

    // A short sha and the full one name the same commit.
    internal static bool CommitMatches(string reported, string expected) =>
        reported.Length >= 7 && expected.Length >= 7
        && (reported.StartsWith(expected, StringComparison.OrdinalIgnoreCase) || expected.StartsWith(reported, StringComparison.OrdinalIgnoreCase));

    private static TimeSpan Jittered(TimeSpan delay) => delay * (0.8 + (Random.Shared.NextDouble() * 0.4));
}
