using System.Text;
using CloudAge.Common.Processes;

namespace CloudAge.Tools.GitOps.Git;

/// <summary>
/// The environment every git command that talks to the remote runs with: never a prompt, and a token (when given) as
/// an HTTP header that stays on the remote's host. One definition for the write-back, the remote head and the fetch
/// that orders Argo CD's commits, so each works where the others do (a checkout without persisted credentials).
/// </summary>
public static class GitCredentials
{
    /// <summary>The user name paired with a token in Basic auth; GitHub accepts x-access-token.</summary>
    public const string DefaultTokenUser = "x-access-token";

    /// <summary>
    /// The environment, with the token (when given) also set under every URL-scoped <c>http.&lt;url&gt;.extraheader</c> of
    /// the clone at <paramref name="directory"/>. actions/checkout persists its own token as
    /// <c>http.https://github.com/.extraheader</c> (src/git-auth-helper.ts), and git takes a URL-scoped value over the plain
    /// <c>http.extraHeader</c> (urlmatch.c: a less specific match is skipped once a more specific one was seen), so GIT_TOKEN
    /// was never sent and the push went out with the checkout's token. Under the same key an empty value clears what the
    /// clone's config set (http.c: an empty extraheader resets the list) and ours follows it.
    /// </summary>
    /// <remarks>A token is never sent in clear: a remote reached over plain <c>http://</c> other than loopback is refused, as
    /// ArgoSync refuses a plain-http Argo CD server for its token.</remarks>
    public static async Task<Dictionary<string, string?>> EnvironmentAsync(ProcessRunner runner, string directory, string remote, string? token,
        CancellationToken cancellationToken, string tokenUser = DefaultTokenUser)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var environment = new Dictionary<string, string?>
        {
            // A missing credential must fail, not wait for a prompt nobody answers.
            ["GIT_TERMINAL_PROMPT"] = "0",
        };
        if (token is not { Length: > 0 })
            return environment;
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{tokenUser}:{token}"));
        runner.Masker.Add(token);
        runner.Masker.Add(basic);
        // The URLs git would use for the remote, after insteadOf rewrites: fetch (ls-remote --get-url) and push.
        var fetchUrl = await LocalGitAsync(runner, directory, ["ls-remote", "--get-url", remote], cancellationToken).ConfigureAwait(false);
        var pushUrls = await LocalGitAsync(runner, directory, ["remote", "get-url", "--push", "--all", remote], cancellationToken).ConfigureAwait(false);
        foreach (var url in (fetchUrl.ExitCode == 0 ? Lines(fetchUrl) : []).Concat(pushUrls.ExitCode == 0 ? Lines(pushUrls) : []))
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
                throw new WriteBackException(runner.Masker.Redact($"The remote '{remote}' is reached over plain http ({uri.GetLeftPart(UriPartial.Authority)}), " +
                    "which would send GIT_TOKEN unencrypted; give the remote its https:// URL (git remote set-url), or leave GIT_TOKEN unset and let git's own credentials answer."));
        }
        var listed = await LocalGitAsync(runner, directory, ["config", "--get-regexp", "--name-only", @"^http\..+\.extraheader$"], cancellationToken).ConfigureAwait(false);
        var scopedKeys = listed.ExitCode == 0 ? Lines(listed).Distinct(StringComparer.Ordinal) : []; // exit 1: no such key

        var header = "Authorization: Basic " + basic;
        List<(string Key, string Value)> config =
        [
            ("http.extraHeader", header),
            // git sends http.extraHeader to wherever a redirect leads (its default follows the first one), so a remote
            // that redirects to another host would receive the token: redirects are not followed while it is set.
            ("http.followRedirects", "false"),
            // With a token the user's credential helpers stay out of it: on a 401 git would ask them (credential fill) and,
            // when their answer failed too, tell them to erase it (credential reject, in http.c), deleting a laptop's saved
            // login because GIT_TOKEN was wrong. An empty credential.helper clears the list (gitcredentials(7)).
            ("credential.helper", ""),
        ];
        foreach (var key in scopedKeys)
            config.AddRange([(key, ""), (key, header)]);
        // Config from the environment (git 2.31+) is neither echoed nor visible in the process list, unlike -c or a URL.
        for (var i = 0; i < config.Count; i++)
            (environment[$"GIT_CONFIG_KEY_{i}"], environment[$"GIT_CONFIG_VALUE_{i}"]) = (config[i].Key, config[i].Value);
        environment["GIT_CONFIG_COUNT"] = config.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return environment;
    }

    // git reading the clone's own configuration: no network, no output of its own in the log.
    private static Task<ProcessResult> LocalGitAsync(ProcessRunner runner, string directory, string[] arguments, CancellationToken cancellationToken) =>
        runner.RunAsync(new ProcessSpec("git", arguments)
        {
            WorkingDirectory = directory,
            ThrowOnFailure = false,
            StreamOutput = false,
            Timeout = TimeSpan.FromSeconds(30),
        }, cancellationToken);

    private static string[] Lines(ProcessResult result) =>
        result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
