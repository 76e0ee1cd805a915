using System.Text.RegularExpressions;
using CloudAge.Common.Text;

namespace CloudAge.Tools.GitOps.Git;

/// <summary>
/// Says in one sentence why a remote refused a fetch or push and what to do, from what git printed (stderr and the
/// --porcelain status on stdout). A refusal is final: trying again gives the same answer, so the write-back never
/// replays it. The git host's own words are quoted on one line (<see cref="PeerText"/>), never its raw lines.
/// </summary>
internal static partial class GitRefusal
{
    /// <param name="output">git's stderr and stdout.</param>
    /// <param name="what">What was refused, e.g. "the push to main on origin".</param>
    /// <param name="write">Whether the command needed write access (a push) or read access (a fetch).</param>
    /// <returns>The sentence, or null when the output is not one of the refusals known here.</returns>
    public static string? Describe(string output, string what, bool write)
    {
        // GitHub's pre-receive answers (docs.github.com, "About protected branches" / "Troubleshooting rules"):
        //   remote: error: GH006: Protected branch update failed for refs/heads/main.
        //   remote: error: Changes must be made through a pull request.      (or "remote: - ..." per violated rule)
        //   remote: error: GH013: Repository rule violations found for refs/heads/main.
        //   remote: - Changes must be made through a pull request.
        //   remote: error: GH009: Secrets detected! This push failed.
        // then " ! [remote rejected] main -> main (protected branch hook declined | push declined due to repository rule violations)".
        // Bypass actors are roles, teams and installed GitHub Apps (docs.github.com "Creating rulesets for a repository",
        // "Granting bypass permissions"); GitHub refuses GitHub Actions itself as one ("Actor GitHub Actions integration must be
        // part of the ruleset source or owner organization", github.com/FriendlyInternet/nuxt-crouton/pull/1942).
        if (GitHubRule().Match(output) is { Success: true } rule)
        {
            var reasons = string.Join(" ", RuleReason().Matches(output).Select(m => m.Groups["reason"].Value.Trim()).Where(r => !GitHubRule().IsMatch(r)).Take(3));
            var quoted = PeerText.OneLine(rule.Groups["line"].Value.Trim() + (reasons.Length > 0 ? " " + reasons : ""), 400);
            return $"GitHub refused {what} because a rule protects the branch ({quoted}); GITHUB_TOKEN cannot be put on a bypass list, " +
                "so add a GitHub App to the bypass list of that ruleset or branch protection and pass its installation token as GIT_TOKEN " +
                "(actions/create-github-app-token), or lift the rule for the branch.";
        }
        // GitHub, a token without contents: write (or contents: read only): "remote: Permission to o/r.git denied to
        // github-actions[bot]." then "fatal: unable to access 'https://github.com/o/r/': The requested URL returned error: 403".
        if (Forbidden().IsMatch(output))
        {
            var detail = PermissionDenied().Match(output) is { Success: true } denied ? ": " + PeerText.OneLine(denied.Value.Trim(), 200) : "";
            return write
                ? $"The remote refused {what} with HTTP 403{detail}; the token may read but not write the repository: on GitHub Actions give the job " +
                  "'permissions: contents: write' and pass GIT_TOKEN: ${{ github.token }}, elsewhere use a GIT_TOKEN that may push to it."
                : $"The remote refused {what} with HTTP 403{detail}; the token may not read the repository: on GitHub Actions give the job " +
                  "'permissions: contents: read' or more, elsewhere use a GIT_TOKEN that may read it.";
        }
        // No credential, or one the host refused: git asks for a user name, which GIT_TERMINAL_PROMPT=0 turns into
        // "fatal: could not read Username for 'https://github.com': terminal prompts disabled"; GitHub answers a bad token
        // with "remote: Invalid username or token." and git with "fatal: Authentication failed for '<url>'".
        if (Unauthenticated().IsMatch(output))
            return $"The remote refused {what} for lack of valid credentials ({PeerText.OneLine(Unauthenticated().Match(output).Value, 200)}); set GIT_TOKEN " +
                "(on GitHub Actions: GIT_TOKEN: ${{ github.token }}), and if it is set, it has expired or is not valid for this repository's host.";
        // GitHub answers 404 to a token that may not see a private repository: "remote: Repository not found." and
        // "fatal: repository 'https://github.com/o/r/' not found".
        if (NotFound().IsMatch(output))
            return $"The remote refused {what}: the repository was not found, which is also how GitHub answers a token that may not see it; " +
                "check the remote's URL (git remote -v) and that GIT_TOKEN has access to this repository.";
        return null;
    }

    /// <summary>Any other refusal of a pushed ref by a hook or server rule; call it after ruling out a lost race
    /// (a "[remote rejected] ... (cannot lock ref ...)" is one), which is worth a replay.</summary>
    public static string? DescribeRejected(string output, string what) =>
        // " ! [remote rejected] main -> main (<reason>)", or "!\t<src>:<dst>\t[remote rejected] (<reason>)" with --porcelain.
        RemoteRejected().Match(output) is { Success: true } rejected
            ? $"The remote refused {what} ({PeerText.OneLine(rejected.Groups["reason"].Value, 300)}{HookMessage(output)}); a rule or hook on the remote does not " +
              "let this push in: let the pushing identity push to the branch, or deploy from a branch it may push to."
            : null;

    private static string HookMessage(string output)
    {
        var lines = RemoteLine().Matches(output).Select(m => m.Groups["text"].Value.Trim()).Where(l => l.Length > 0).Take(3).ToList();
        return lines.Count == 0 ? "" : ": " + PeerText.OneLine(string.Join(" ", lines), 300);
    }

    [GeneratedRegex(@"^remote:\s*(error:\s*)?(?<line>GH\d{3}:[^\r\n]*)", RegexOptions.Multiline)]
    private static partial Regex GitHubRule();

    [GeneratedRegex(@"^remote:\s*(error:\s*|-\s+)(?<reason>[^\r\n]*\S)", RegexOptions.Multiline)]
    private static partial Regex RuleReason();

    [GeneratedRegex(@"returned error: 403|HTTP 403|^remote: Permission to \S+ denied", RegexOptions.Multiline)]
    private static partial Regex Forbidden();

    [GeneratedRegex(@"Permission to \S+ denied to [^\r\n]*")]
    private static partial Regex PermissionDenied();

    [GeneratedRegex(@"could not read (Username|Password) for '[^']*'[^\r\n]*|Authentication failed for '[^']*'|Invalid username or (password|token)[^\r\n]*|returned error: 401")]
    private static partial Regex Unauthenticated();

    [GeneratedRegex(@"Repository not found|repository '[^']*' not found")]
    private static partial Regex NotFound();

    [GeneratedRegex(@"^remote:(?<text>[^\r\n]*)", RegexOptions.Multiline)]
    private static partial Regex RemoteLine();

    [GeneratedRegex(@"\[remote rejected\][^(\r\n]*\((?<reason>[^\r\n]*)\)")]
    private static partial Regex RemoteRejected();
}
