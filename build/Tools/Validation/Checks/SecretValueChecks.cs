using System.Text.RegularExpressions;
using CloudAge.Tools.Validation.Yaml;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Validation.Checks;

/// <summary>
/// Secrets written where anyone with read access to the repository or the namespace sees them: ConfigMap values
/// and literal container environment values. A value is reported when it looks like a credential (an AWS access
/// key id, a private key, a well-known token format) or when its name says it is one (DB_PASSWORD, API_KEY) and it
/// is written out literally. Messages name the key, never the value.
/// </summary>
internal static partial class SecretValueChecks
{
    // The name denotes the secret itself when its last word is one of these (PASSWORD_FILE, TOKEN_URL do not).
    private static readonly HashSet<string> SecretWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "passwd", "passphrase", "pwd", "secret", "token", "apikey", "credential", "credentials",
    };

    private static readonly HashSet<string> KeyQualifiers = new(StringComparer.OrdinalIgnoreCase)
    {
        "api", "access", "private", "secret", "signing", "encryption", "client", "master",
    };

    public static void Run(CheckContext context)
    {
        foreach (var configMap in context.OfKind("ConfigMap"))
        {
            foreach (var (key, value) in configMap.Root.At("data").Entries())
            {
                if (Problem(key, value.Text()) is { } problem)
                {
                    context.Findings.Add(configMap.File, value, RuleIds.ConfigMapSecrets,
                        $"ConfigMap {configMap.Name} key {key} {problem}; ConfigMaps are readable by anyone who can read the namespace: put it in a Secret created outside Git and reference it with secretKeyRef");
                }
            }
        }

        foreach (var workload in context.Workloads)
        {
            foreach (var (what, container) in workload.SecurityContainers)
            {
                foreach (var env in container.At("env").Items())
                {
                    if (env.At("value") is { } value && env.At("name").Text() is { } name && Problem(name, value.Text()) is { } problem)
                    {
                        context.Findings.Add(workload.Document.File, value, RuleIds.EnvSecrets,
                            $"{workload.Document.Describe()} {what} {container.At("name").Text()} sets env {name}, which {problem}; use valueFrom.secretKeyRef to a Secret created outside Git");
                    }
                }
            }
        }
    }

    /// <summary>Why the value looks like a secret, or null. Never includes the value.</summary>
    internal static string? Problem(string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || EnvReference().IsMatch(value))
        {
            return null;
        }

        if (AwsAccessKeyId().IsMatch(value))
        {
            return "holds an AWS access key id";
        }

        if (PrivateKey().IsMatch(value))
        {
            return "holds a private key";
        }

        if (KnownToken().IsMatch(value))
        {
            return "holds what looks like an access token";
        }

        return NamesASecret(name) ? "is named like a secret and holds a literal value" : null;
    }

    private static bool NamesASecret(string name)
    {
        var words = Words().Matches(name).Select(m => m.Value).ToList();
        if (words.Count == 0)
        {
            return false;
        }

        var last = words[^1];
        return SecretWords.Contains(last)
            || (last.Equals("key", StringComparison.OrdinalIgnoreCase) && words.Count > 1 && KeyQualifiers.Contains(words[^2]));
    }

    // Access key ids: AKIA (long-term), ASIA (temporary), and the other documented IAM unique-id prefixes of keys.
    [GeneratedRegex(@"\b(AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b")]
    private static partial Regex AwsAccessKeyId();

    [GeneratedRegex(@"-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----")]
    private static partial Regex PrivateKey();

    // GitHub (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_), Slack (xox?-), Stripe live keys, Google API keys, JWTs.
    [GeneratedRegex(@"\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}|xox[abposr]-[A-Za-z0-9-]{10,}|sk_live_[A-Za-z0-9]{16,}|AIza[0-9A-Za-z_-]{35}|eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})")]
    private static partial Regex KnownToken();

    // $(OTHER_VAR): Kubernetes expands it from another variable, so the value is not written here.
    [GeneratedRegex(@"^\$\([A-Za-z_][A-Za-z0-9_]*\)$")]
    private static partial Regex EnvReference();

    // Words of SCREAMING_SNAKE, kebab, dotted and camelCase names: dbPassword -> db, Password.
    [GeneratedRegex("[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")]
    private static partial Regex Words();
}
