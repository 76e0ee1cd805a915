using System.Text.Json.Serialization;

namespace CloudAge.App;

/// <summary>What <c>GET /</c> answers: the service, its build, and the configuration it sees.</summary>
internal sealed record ServiceInfo(
    string Service,
    string Version,
    string Commit,
    IReadOnlyDictionary<string, ConfigurationEntry> Configuration)
{
    public const string Name = "cloudage";

    public static ServiceInfo Describe(BuildInfo build, IConfiguration configuration)
    {
        var effective = build.OverriddenBy(configuration);
        return new ServiceInfo(Name, effective.Version, effective.Commit, ConfigurationReport.Read(configuration));
    }
}

/// <summary>One configuration key: whether it is set, and its value unless the key looks secret.</summary>
internal sealed record ConfigurationEntry(bool Present, bool Secret, string? Value);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = false)]
[JsonSerializable(typeof(ServiceInfo))]
internal sealed partial class AppJsonContext : JsonSerializerContext;
