using System.Reflection;

namespace CloudAge.App;

/// <summary>The version and commit baked into the assembly at publish (<c>-p:Version</c>, <c>-p:SourceRevisionId</c>).</summary>
internal sealed record BuildInfo(string Version, string Commit)
{
    public const string UnknownCommit = "unknown";

    public static BuildInfo FromAssembly(Assembly assembly)
    {
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var commit = assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "SourceRevisionId")?.Value;
        return new BuildInfo(
            string.IsNullOrEmpty(version) ? "0.0.0-local" : version,
            string.IsNullOrEmpty(commit) ? UnknownCommit : commit);
    }

    /// <summary>
    /// The image's build arguments arrive as APP_VERSION / APP_COMMIT; they win when set, so an image
    /// built from an older publish still says what it was tagged as.
    /// </summary>
    public BuildInfo OverriddenBy(IConfiguration configuration) => new(
        NonEmpty(configuration["APP_VERSION"]) ?? Version,
        NonEmpty(configuration["APP_COMMIT"]) ?? Commit);

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
