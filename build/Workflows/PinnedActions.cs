namespace CloudAge.Workflows;

/// <summary>
/// Every action the generated workflows use, pinned to a major tag: the publisher's supported line, so
/// security fixes arrive without regenerating, while breaking majors only come with a change here.
/// Bump a version in this one table, regenerate, and let the snapshot tests show the difference.
/// </summary>
public static class PinnedActions
{
    public const string Checkout = "actions/checkout@v4";
    public const string SetupDotnet = "actions/setup-dotnet@v4";
    public const string Cache = "actions/cache@v4";
    public const string ConfigureAwsCredentials = "aws-actions/configure-aws-credentials@v4";

    public static IReadOnlyList<string> All { get; } = [Checkout, SetupDotnet, Cache, ConfigureAwsCredentials];
}
