using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;

namespace CloudAge.Common.Yaml;

/// <summary>The JSON type a YAML scalar has once kubectl or the API server has read it.</summary>
#pragma warning disable CA1720 // the members are named after the JSON types they stand for
public enum JsonScalar
{
    Null,
    String,
    Boolean,
    Number,
}
#pragma warning restore CA1720

/// <summary>
/// How go-yaml v2 resolves an untagged plain scalar, which decides its JSON type in Kubernetes: kubectl and the API
/// server turn YAML into JSON with sigs.k8s.io/yaml's <c>YAMLToJSON</c> (yaml.go), which decodes with go-yaml v2
/// (gopkg.in/yaml.v2 v2.4.0, kept as sigs.k8s.io/yaml/goyaml.v2) into <c>interface{}</c> and marshals that, with no
/// target type, so nothing is coerced to a string. This mirrors <c>resolve()</c> in its resolve.go: the YAML 1.1
/// booleans in the three spellings of its table (so <c>yEs</c> stays a string), the nulls, <c>.inf</c>/<c>.nan</c>,
/// integers as <c>strconv.ParseInt</c>/<c>ParseUint</c> read them with base 0 once <c>_</c> is removed (0x, 0o, 0b,
/// a leading 0 for octal), then YAML-style floats. A timestamp (<c>2024-01-31</c>) stays a string in
/// <c>interface{}</c> (decode.go, "for backward compatibility"), as it does here. Kustomize reads kustomization.yaml
/// the same way (sigs.k8s.io/yaml, then JSON into its types). Written by hand: YamlDotNet converts a scalar to whatever
/// type its field has, and no served package resolves as go-yaml does.
/// </summary>
public static partial class GoYamlScalar
{
    private static readonly FrozenSet<string> Booleans = new[]
    {
        "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
        "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Nulls = new[] { "", "~", "null", "Null", "NULL" }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> SpecialFloats = new[]
    {
        ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>True for the YAML 1.1 booleans other than true/false (yes, on, y and their opposites).</summary>
    public static bool IsYaml11Boolean(string plain) => Booleans.Contains(plain) && !plain.Equals("true", StringComparison.OrdinalIgnoreCase) && !plain.Equals("false", StringComparison.OrdinalIgnoreCase);

    public static JsonScalar Resolve(string plain)
    {
        ArgumentNullException.ThrowIfNull(plain);
        if (Nulls.Contains(plain))
        {
            return JsonScalar.Null;
        }

        if (Booleans.Contains(plain))
        {
            return JsonScalar.Boolean;
        }

        if (SpecialFloats.Contains(plain))
        {
            return JsonScalar.Number;
        }

        switch (plain[0])
        {
            case '.':
                return DotFloat().IsMatch(plain) && IsFinite(plain) ? JsonScalar.Number : JsonScalar.String;
            case '+' or '-' or (>= '0' and <= '9'):
                var digits = plain.Replace("_", "", StringComparison.Ordinal);
                return IsInteger(digits) || (YamlFloat().IsMatch(digits) && IsFinite(digits)) ? JsonScalar.Number : JsonScalar.String;
            default:
                return JsonScalar.String;
        }
    }

    // strconv.ParseUint's base-0 syntax, after an optional sign; a value beyond 64 bits is no integer (ParseInt fails).
    private static bool IsInteger(string text)
    {
        var unsigned = text is ['+' or '-', .. var rest] ? rest : text;
        var (radix, digits) = unsigned switch
        {
            ['0', 'x' or 'X', _, ..] => (16u, unsigned[2..]),
            ['0', 'o' or 'O', _, ..] => (8u, unsigned[2..]),
            ['0', 'b' or 'B', _, ..] => (2u, unsigned[2..]),
            ['0', ..] => (8u, unsigned[1..]),
            [_, ..] => (10u, unsigned),
            [] => (0u, ""),
        };
        if (radix == 0)
        {
            return false;
        }

        ulong value = 0;
        foreach (var c in digits)
        {
            var digit = c switch
            {
                >= '0' and <= '9' => (uint)(c - '0'),
                >= 'a' and <= 'z' => (uint)(c - 'a' + 10),
                >= 'A' and <= 'Z' => (uint)(c - 'A' + 10),
                _ => uint.MaxValue,
            };
            if (digit >= radix || value > (ulong.MaxValue - digit) / radix)
            {
                return false;
            }

            value = (value * radix) + digit;
        }

        return true;
    }

    // strconv.ParseFloat fails on a value out of range, which go-yaml then leaves a string.
    private static bool IsFinite(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value);

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\z")]
    private static partial Regex YamlFloat();

    // What strconv.ParseFloat accepts of a text that starts with '.': the '.' hint of resolve().
    [GeneratedRegex(@"^\.[0-9]+([eE][-+]?[0-9]+)?\z")]
    private static partial Regex DotFloat();
}
