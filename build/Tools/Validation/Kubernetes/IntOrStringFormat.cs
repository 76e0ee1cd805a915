using System.Globalization;
using System.Text.RegularExpressions;
using CloudAge.Common.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Validation.Kubernetes;

/// <summary>
/// What the API server accepts in an IntOrString field. The JSON type picks the half (apimachinery
/// pkg/util/intstr <c>UnmarshalJSON</c>: a JSON string is a string, anything else must decode as an int32), and each
/// half is validated by field: a port (<c>port</c>, <c>targetPort</c>: pkg/apis/core/validation
/// <c>ValidatePortNumOrName</c>, used for probes, lifecycle handlers, Service target ports and NetworkPolicy ports)
/// is a number from 1 to 65535 or a port name (pkg/util/validation <c>IsValidPortName</c>); a count
/// (<c>maxSurge</c>, <c>maxUnavailable</c>, <c>minAvailable</c>: pkg/apis/apps/validation
/// <c>ValidatePositiveIntOrPercent</c> and <c>IsNotMoreThan100Percent</c>, which ValidatePodDisruptionBudgetSpec
/// uses too) is a non-negative number or a percentage, <c>maxUnavailable</c> and <c>minAvailable</c> at most 100%.
/// So a quoted <c>"80"</c> or <c>"0"</c>, which YAML readers take for the number, is refused there.
/// </summary>
internal static partial class IntOrStringFormat
{
    public static string? Problem(YamlScalarNode scalar, string? key, string kind)
    {
        if (!scalar.Tag.IsEmpty || key is null)
        {
            return null;
        }

        var value = scalar.Value ?? "";
        var plain = scalar.Style is ScalarStyle.Plain or ScalarStyle.Any;
        var type = plain ? GoYamlScalar.Resolve(value) : JsonScalar.String;
        var isPort = key is "port" or "targetPort";
        var isCount = key is "maxSurge" or "maxUnavailable" or "minAvailable";
        if (type == JsonScalar.Null || !(isPort || isCount))
        {
            return null;
        }

        var example = isPort ? "80 or http" : "1 or \"25%\"";
        if (type == JsonScalar.Boolean)
        {
            return $"{value} is a boolean, but this field takes a number or a string such as {example}";
        }

        if (type == JsonScalar.Number)
        {
            if (!double.TryParse(value.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return null; // 0x50, 0o17: go-yaml reads an integer, which fits; no need to evaluate it here
            }

            if (number != Math.Floor(number) || number is > int.MaxValue or < int.MinValue)
            {
                return $"{value} is not an integer (the API server cannot decode it into int32); write a whole number or a string such as {example}";
            }

            return isPort
                ? number is < 1 or > 65535 && !(key == "targetPort" && number == 0) ? $"port {value} is not between 1 and 65535 (IsValidPortNum)" : null
                : number < 0 ? $"{value} is negative; it must be 0 or more" : null;
        }

        var quoted = plain ? "" : $" (it is quoted, so it is a string; write {value} without quotes for the number)";
        if (isPort)
        {
            return PortNameProblem(value) is { } why
                ? $"\"{value}\" is not a port name: {why}{(quoted.Length > 0 && int.TryParse(value, out _) ? quoted : "")}; the API server refuses it (IsValidPortName)"
                : null;
        }

        if (!Percent().IsMatch(value))
        {
            return $"\"{value}\" is a string, and as a string this field takes only a percentage such as \"25%\"{(int.TryParse(value, out _) ? quoted : "")}; the API server refuses it (\"a valid percent string must be a numeric string followed by an ending '%'\")";
        }

        var limited = key is "maxUnavailable" or "minAvailable" || (key == "maxSurge" && kind == "DaemonSet");
        return limited && int.TryParse(value[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var percent) && percent > 100
            ? $"\"{value}\" is more than 100%, which the API server refuses (IsNotMoreThan100Percent)"
            : null;
    }

    /// <summary>pkg/util/validation IsValidPortName: at most 15 of [-a-z0-9], at least one letter, no leading, trailing or double hyphen.</summary>
    private static string? PortNameProblem(string name) =>
        name.Length > 15 ? "it is longer than 15 characters"
        : !PortNameCharset().IsMatch(name) ? "it may hold only lowercase letters, digits and '-'"
        : !name.Any(char.IsAsciiLetterLower) ? "it must contain at least one letter"
        : name.Contains("--", StringComparison.Ordinal) ? "it must not contain consecutive hyphens"
        : name[0] == '-' || name[^1] == '-' ? "it must not begin or end with a hyphen"
        : null;

    [GeneratedRegex(@"^[-a-z0-9]+\z")]
    private static partial Regex PortNameCharset();

    [GeneratedRegex(@"^[0-9]+%\z")]
    private static partial Regex Percent();
}
