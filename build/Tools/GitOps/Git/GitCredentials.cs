using System.Text;
using CloudAge.Common.Secrets;

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

    public static Dictionary<string, string?> Environment(SecretMasker masker, string? token, string tokenUser = DefaultTokenUser)
    {
        ArgumentNullException.ThrowIfNull(masker);
        var environment = new Dictionary<string, string?>
        {
            // A missing credential must fail, not wait for a prompt nobody answers.
            ["GIT_TERMINAL_PROMPT"] = "0",
        };
        if (token is { Length: > 0 })
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{tokenUser}:{token}"));
            masker.Add(token);
            masker.Add(basic);
            // Config from the environment (git 2.31+) is neither echoed nor visible in the process list, unlike -c or a URL.
            environment["GIT_CONFIG_COUNT"] = "2";
            environment["GIT_CONFIG_KEY_0"] = "http.extraHeader";
            environment["GIT_CONFIG_VALUE_0"] = "Authorization: Basic " + basic;
            // git sends http.extraHeader to wherever a redirect leads (its default follows the first one), so a remote
            // that redirects to another host would receive the token: redirects are not followed while it is set.
            environment["GIT_CONFIG_KEY_1"] = "http.followRedirects";
            environment["GIT_CONFIG_VALUE_1"] = "false";
        }
        return environment;
    }
}
