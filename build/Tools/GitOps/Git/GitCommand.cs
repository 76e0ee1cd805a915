using System.Text.RegularExpressions;
using CloudAge.Common.Processes;
using CloudAge.Common.Resilience;
using Polly;

namespace CloudAge.Tools.GitOps.Git;

/// <summary>
/// git in one clone through the ProcessRunner. Network commands (fetch, push) get a timeout and bounded
/// retries with jittered back-off when git reports a transient transport failure.
/// </summary>
internal sealed partial class GitCommand
{

    private readonly ProcessRunner _runner;
    private readonly string _directory;
    private readonly IReadOnlyDictionary<string, string?> _environment;
    private readonly TimeSpan _timeout;
    private readonly ResiliencePipeline _network;
    private readonly Action<string> _log;

    public GitCommand(ProcessRunner runner, string directory, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout, Action<string> log)
    {
        _runner = runner;
        _directory = directory;
        _environment = environment;
        _timeout = timeout;
        _log = log;
        _network = new RetryPolicy { MaxAttempts = GitNetwork.Attempts }.Build(
            e => e is TransientGitException,
            attempt => log($"git network error, retry {attempt.Failed} of {attempt.MaxRetries} in {attempt.Delay.TotalSeconds:0.0}s"));
    }

    /// <summary>The same git (environment, timeout, retries) in another folder, such as a worktree of this clone.</summary>
    public GitCommand In(string directory) => new(_runner, directory, _environment, _timeout, _log);

    public async Task<string> RunAsync(CancellationToken cancellationToken, params string[] arguments) =>
        (await _runner.RunAsync(Spec(arguments, throwOnFailure: true), cancellationToken)).StandardOutput.Trim();

    public Task<ProcessResult> TryAsync(CancellationToken cancellationToken, params string[] arguments) =>
        _runner.RunAsync(Spec(arguments, throwOnFailure: false), cancellationToken);

    /// <summary>Runs a command that talks to the remote; a non-zero exit that is not transient is returned, not thrown.</summary>
    public async Task<ProcessResult> NetworkAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        try
        {
            return await _network.ExecuteAsync(async token =>
            {
                var result = await _runner.RunAsync(Spec(arguments, throwOnFailure: false), token);
                if (result.ExitCode != 0 && IsTransient(result.StandardError))
                    throw new TransientGitException(result.StandardError);
                return result;
            }, cancellationToken);
        }
        catch (TransientGitException e)
        {
            throw new WriteBackException($"'git {arguments[0]}' could not reach the remote after {GitNetwork.Attempts} tries; git said: {e.Message.Trim()}", e);
        }
        catch (TimeoutException e)
        {
            throw new WriteBackException($"{e.Message} Check that the remote answers and that credentials do not wait for a prompt.", e);
        }
    }

    private ProcessSpec Spec(IReadOnlyList<string> arguments, bool throwOnFailure) => new("git", arguments)
    {
        WorkingDirectory = _directory,
        Environment = _environment,
        Timeout = _timeout,
        ThrowOnFailure = throwOnFailure,
    };

    /// <summary>
    /// Whether git's error is a network failure worth another try. A host that answers the pack upload itself with a
    /// 4xx makes git say "error: RPC failed; HTTP 403 curl 22 The requested URL returned error: 403" and then "send-pack:
    /// unexpected disconnect while reading sideband packet" (remote-curl.c, post_rpc), which read as a dropped
    /// connection; that answer is a refusal and stays one, except 408 and 429, which ask for another try.
    /// </summary>
    internal static bool IsTransient(string standardError) =>
        Transient().IsMatch(standardError) && !ClientError().IsMatch(standardError);

    [GeneratedRegex(@"(RPC failed; HTTP|returned error:) 4(?!08|29)\d\d")]
    private static partial Regex ClientError();

    [GeneratedRegex(@"Could not resolve host|Connection (timed out|reset|refused)|early EOF|RPC failed|unexpected disconnect|returned error: 5\d\d|Operation timed out|Failed to connect", RegexOptions.IgnoreCase)]
    private static partial Regex Transient();

    private sealed class TransientGitException(string message) : Exception(message);
}
