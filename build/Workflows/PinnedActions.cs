namespace CloudAge.Workflows;

/// <summary>An action at one commit; <see cref="Version"/> is the release that commit is, written beside it as a comment.</summary>
public sealed record PinnedAction(string Repository, string Version, string Commit)
{
    /// <summary>The <c>uses:</c> value: <c>owner/repo@&lt;40 hex&gt;</c>.</summary>
    public string Uses => $"{Repository}@{Commit}";
}

/// <summary>
/// Every action the generated workflows use, pinned to a full commit SHA: a tag can be moved to other code, a
/// commit cannot. All are current releases that run on Node 24 (GitHub removed Node 20 from hosted runners on
/// 2026-09-16; configure-aws-credentials v5.x still ran on Node 20). Releases and commits as listed in
/// FACTS.md section 7, checked 2026-12-01. Bump one row here, regenerate, and let the snapshot tests show the diff.
/// </summary>
public static class PinnedActions
{
    public static PinnedAction Checkout { get; } = new("actions/checkout", "v7.0.1", "3d3c42e5aac5ba805825da76410c181273ba90b1");
    public static PinnedAction SetupDotnet { get; } = new("actions/setup-dotnet", "v6.0.0", "a98b56852c35b8e3190ac28c8c2271da59106c68");
    public static PinnedAction Cache { get; } = new("actions/cache", "v5.0.5", "27d5ce7f107fe9357f9df03efb73ab90386fccae");
    public static PinnedAction ConfigureAwsCredentials { get; } = new("aws-actions/configure-aws-credentials", "v6.2.3", "e6de054238d6b7531b4efff3b6587d9aade6a06c");

    public static IReadOnlyList<PinnedAction> All { get; } = [Checkout, SetupDotnet, Cache, ConfigureAwsCredentials];
}
