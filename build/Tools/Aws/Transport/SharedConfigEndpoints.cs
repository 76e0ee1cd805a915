using Amazon.Runtime.Internal.Util;

namespace CloudAge.Tools.Aws.Transport;

/// <summary>
/// The endpoint settings one profile of the shared config file holds (AWS SDKs and Tools reference guide,
/// "Service-specific endpoints"): its <c>endpoint_url</c>, its <c>ignore_configured_endpoint_urls</c>, and the
/// <c>endpoint_url</c> of each service in the <c>[services NAME]</c> section its <c>services</c> key names:
/// <code>
/// [profile local]
/// endpoint_url = http://localhost:4566
/// services = local-services
///
/// [services local-services]
/// ecr =
///   endpoint_url = http://localhost:4567
/// </code>
/// Read with AWSSDK.Core's own profile-file parser (<see cref="ProfileIniFile"/>) from the file the AWS CLI reads,
/// <c>AWS_CONFIG_FILE</c> or <c>~/.aws/config</c> (through the environment given, as the other settings are), section by
/// section: the SDK's profile object drops the profile's <c>endpoint_url</c> when the profile also names a services
/// section, where the reference guide and the AWS CLI use it for every service the section does not name.
/// </summary>
/// <param name="Profile">The profile's name.</param>
/// <param name="File">The config file the settings were read from (for messages).</param>
/// <param name="EndpointUrl">The profile's own <c>endpoint_url</c>, for every service.</param>
/// <param name="Ignore">The profile's <c>ignore_configured_endpoint_urls</c>, when it has one.</param>
/// <param name="ServicesSection">The name of the services section the profile names, when it names one.</param>
/// <param name="ServiceEndpoints">The <c>endpoint_url</c> of each service key (lower case, as in the file) in that section.</param>
public sealed record SharedConfigEndpoints(string Profile, string File, string? EndpointUrl, bool? Ignore, string? ServicesSection,
    IReadOnlyDictionary<string, string> ServiceEndpoints)
{
    /// <summary>No endpoint settings (no config file, no such profile, or a profile without any).</summary>
    public static SharedConfigEndpoints None(string profile) => new(profile, "", null, null, null, new Dictionary<string, string>());

    /// <summary>The settings of profile <paramref name="profileName"/>; <see cref="None"/> when the file or the profile is not there.</summary>
    /// <param name="profileName">The profile, as the credential chain chose it (AWS_PROFILE, else default).</param>
    /// <param name="environment">Reads an environment variable (AWS_CONFIG_FILE, HOME).</param>
    public static SharedConfigEndpoints Read(string profileName, Func<string, string?> environment)
    {
        ArgumentException.ThrowIfNullOrEmpty(profileName);
        ArgumentNullException.ThrowIfNull(environment);
        var file = environment("AWS_CONFIG_FILE") is { Length: > 0 } configured ? configured
            : Path.Combine(environment("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".aws", "config");
        if (!System.IO.File.Exists(file))
            return None(profileName);
        var config = new ProfileIniFile(file, profileMarkerRequired: true);
        if (ProfileSection(config, file, profileName) is not { } profile)
            return None(profileName);
        var servicesSection = Setting(profile, "services");
        var endpoints = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (servicesSection is not null && config.TryGetSection(servicesSection, false, true, out _, out var services) && services is not null)
        {
            foreach (var (service, settings) in services)
            {
                if (Setting(settings, "endpoint_url") is { } url)
                    endpoints[service.Trim()] = url;
            }
        }
        var ignore = Setting(profile, "ignore_configured_endpoint_urls") is { } flag ? string.Equals(flag, "true", StringComparison.OrdinalIgnoreCase) : (bool?)null;
        return new SharedConfigEndpoints(profileName, file, Setting(profile, "endpoint_url"), ignore, servicesSection, endpoints);
    }

    // [profile NAME] in the config file; the default profile is [default] there (and [profile default] is read too).
    private static Dictionary<string, string>? ProfileSection(ProfileIniFile config, string file, string name) =>
        config.TryGetSection(name, false, false, out var marked, out _) ? marked
        : name == "default" && new ProfileIniFile(file, profileMarkerRequired: false).TryGetSection(name, false, false, out var plain, out _) ? plain
        : null;

    private static string? Setting(Dictionary<string, string>? section, string key) =>
        section is not null && section.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
