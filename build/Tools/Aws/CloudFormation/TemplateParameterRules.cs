using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Aws.CloudFormation;

/// <summary>
/// The constraints a template's <c>Parameters</c> put on their values, checked before a change set is asked for.
/// CloudFormation refuses a value that breaks one at CreateChangeSet with a ValidationError ("Parameter 'X' must match
/// pattern ...") that reads like a failed deployment; GetTemplateSummary returns AllowedValues only
/// (API reference, ParameterConstraints), so the rest is read from the template here. Rules, from the template anatomy's
/// "Parameters" page: AllowedPattern must match the entire value of a String, and each value of a CommaDelimitedList;
/// AllowedValues holds for each value; MinLength and MaxLength count a String's characters; MinValue and MaxValue bound a
/// Number, whose value must be a number. Other types (AWS::EC2::..., SSM parameter types) are AWS's to check.
/// </summary>
public static class TemplateParameterRules
{
    /// <summary>Each declared parameter's constraints; empty when the template cannot be read here (CloudFormation then says why).</summary>
    public static IReadOnlyDictionary<string, ParameterRule> Read(string templateBody)
    {
        var rules = new Dictionary<string, ParameterRule>(StringComparer.Ordinal);
        foreach (var (key, node) in TemplateYaml.Section(templateBody, "Parameters").Entries())
        {
            if (key is not YamlScalarNode { Value: { } name } || node is not YamlMappingNode declaration)
                continue;
            rules[name] = new ParameterRule(
                Text(declaration, "Type") ?? "String",
                Text(declaration, "AllowedPattern"),
                declaration.Child("AllowedValues") is YamlSequenceNode values ? values.Children.OfType<YamlScalarNode>().Select(v => v.Value ?? "").ToList() : null,
                Number(declaration, "MinLength"), Number(declaration, "MaxLength"),
                Number(declaration, "MinValue"), Number(declaration, "MaxValue"),
                Text(declaration, "ConstraintDescription"),
                Text(declaration, "Default"));
        }
        return rules;
    }

    private static string? Text(YamlMappingNode map, string key) => map.Child(key) is YamlScalarNode { Value: { } value } ? value : null;

    private static decimal? Number(YamlMappingNode map, string key) =>
        decimal.TryParse(Text(map, key), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;
}

/// <summary>One parameter's declaration: its type and the constraints CloudFormation checks its value against.</summary>
public sealed record ParameterRule(string Type, string? AllowedPattern, IReadOnlyList<string>? AllowedValues, decimal? MinLength, decimal? MaxLength,
    decimal? MinValue, decimal? MaxValue, string? ConstraintDescription, string? Default)
{
    /// <summary>What is wrong with <paramref name="value"/>, in words that never repeat it (it may be a NoEcho secret), or null when it fits.</summary>
    public string? Violation(string value)
    {
        var list = Type is "CommaDelimitedList" || Type.StartsWith("List<", StringComparison.Ordinal);
        var items = list ? value.Split(',').Select(v => v.Trim()).ToList() : [value];
        var what = list ? "a value in the list" : "the value";
        var number = Type is "Number" or "List<Number>";
        foreach (var item in items)
        {
            if (AllowedValues is { Count: > 0 } allowed && !allowed.Contains(item, StringComparer.Ordinal))
                return Described($"{what} is not one of the AllowedValues {string.Join(", ", allowed)}");
            if (number)
            {
                if (!decimal.TryParse(item, NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
                    return Described($"{what} is not a number");
                if (n < MinValue || n > MaxValue)
                    return Described($"{what} is outside MinValue {MinValue?.ToString(CultureInfo.InvariantCulture) ?? "-"} and MaxValue {MaxValue?.ToString(CultureInfo.InvariantCulture) ?? "-"}");
            }
            if (Type is "String" or "CommaDelimitedList" && AllowedPattern is { } pattern && Matches(pattern, item) == false)
                return Described($"{what} does not match the AllowedPattern {pattern}");
        }
        if (Type == "String" && (value.Length < MinLength || value.Length > MaxLength))
            return Described($"the value has {value.Length} characters, outside MinLength {MinLength?.ToString(CultureInfo.InvariantCulture) ?? "0"} and MaxLength {MaxLength?.ToString(CultureInfo.InvariantCulture) ?? "-"}");
        return null;
    }

    // The template's patterns are Java regular expressions, matched against the whole value; the common ground with .NET's
    // is what templates use. A pattern .NET cannot read (or that runs too long) is left to CloudFormation: null.
    private static bool? Matches(string pattern, string value)
    {
        try
        {
            return Regex.IsMatch(value, $"^(?:{pattern})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (Exception e) when (e is ArgumentException or RegexMatchTimeoutException)
        {
            return null;
        }
    }

    private string Described(string violation) => ConstraintDescription is { Length: > 0 } description ? $"{violation} ({description.Trim().TrimEnd('.')})" : violation;
}
