namespace CloudAge.Common.Secrets;

/// <summary>
/// The one place that knows every secret value of a run (secret parameters, ECR passwords, tokens) and
/// replaces each with <c>***</c> in any text before it is printed, logged, thrown or written to a file.
/// </summary>
public sealed partial class SecretMasker
{
    public const string Mask = "***";

    // Values shorter than this would mask ordinary words ("a", "on") and make logs unreadable.
    private const int MinimumLength = 4;

    private readonly Lock _gate = new();
    private string[] _secrets = [];

    public void Add(string? secret)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length < MinimumLength)
            return;
        lock (_gate)
        {
            var variants = new List<string>(_secrets) { secret };
            // A secret also leaks through its common encodings: base64 (Basic auth, docker config) and URL escaping.
            variants.Add(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(secret)));
            variants.Add(Uri.EscapeDataString(secret));
            // Longest first, so a secret that contains another is masked whole.
            _secrets = variants.Where(v => v.Length >= MinimumLength).Distinct(StringComparer.Ordinal)
                .OrderByDescending(v => v.Length).ToArray();
        }
    }

    public bool IsEmpty => Volatile.Read(ref _secrets).Length == 0;

    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return text ?? string.Empty;
        // user:password inside a URL (https://user:token@host/) is a secret nobody registered: mask every userinfo.
        if (text.Contains("://", StringComparison.Ordinal) && text.Contains('@', StringComparison.Ordinal))
            text = UserInfo().Replace(text, "${scheme}://" + Mask + "@");
        var secrets = Volatile.Read(ref _secrets);
        foreach (var secret in secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }
        return text;
    }

    /// <summary>True when <paramref name="value"/> is one of the run's secrets (exactly): such an environment variable is not passed on.</summary>
    public bool IsSecret(string? value) =>
        !string.IsNullOrEmpty(value) && Array.IndexOf(Volatile.Read(ref _secrets), value) >= 0;

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<scheme>\b[A-Za-z][A-Za-z0-9+.-]*)://[^/\s@?#]+@")]
    private static partial System.Text.RegularExpressions.Regex UserInfo();
}
