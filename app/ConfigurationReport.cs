namespace CloudAge.App;

/// <summary>Reports the configuration keys the service depends on, never showing a value whose key looks secret.</summary>
internal static class ConfigurationReport
{
    /// <summary>The keys the Kubernetes ConfigMap provides.</summary>
    public static readonly IReadOnlyList<string> ApplicationKeys = ["ASSIGNMENTS_TABLE", "AWS_REGION", "BEDROCK_MODEL_ID", "S3_BUCKET"];

    /// <summary>How the pod gets AWS credentials (IRSA, EKS Pod Identity or static keys); reported so a missing role shows up, values hidden.</summary>
    public static readonly IReadOnlyList<string> IdentityKeys =
    [
        "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
    ];

    private static readonly string[] SecretMarkers = ["SECRET", "TOKEN", "PASSWORD", "KEY", "CREDENTIAL"];

    public static bool LooksSecret(string key) =>
        SecretMarkers.Any(marker => key.Contains(marker, StringComparison.OrdinalIgnoreCase));

    public static IReadOnlyDictionary<string, ConfigurationEntry> Read(IConfiguration configuration)
    {
        var report = new Dictionary<string, ConfigurationEntry>(StringComparer.Ordinal);
        foreach (var key in ApplicationKeys.Concat(IdentityKeys))
        {
            var value = configuration[key];
            var present = !string.IsNullOrEmpty(value);
            // An identity key says that a role or key is configured, never which: an ARN names the account and role to aim at.
            var secret = LooksSecret(key) || IdentityKeys.Contains(key);
            report[key] = new ConfigurationEntry(present, secret, present && !secret ? value : null);
        }
        return report;
    }
}
