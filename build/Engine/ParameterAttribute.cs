namespace CloudAge.Engine;

/// <summary>
/// A build input, bound from the command line (<c>--kebab-name</c>), the environment (exact name, then case- and
/// separator-insensitive, optionally prefixed <c>NUKE_</c>) and <c>.nuke/parameters[.profile].json</c>, in that precedence.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ParameterAttribute(string? description = null) : Attribute
{
    public string? Description { get; } = description;
    /// <summary>Splits one environment or file value into array items; whitespace when not set.</summary>
    public char Separator { get; init; }
    /// <summary>
    /// The name users know (flag, environment variable, parameters-file key) when it differs from the member's,
    /// so a member can be renamed without breaking scripts; the member name when not set.
    /// </summary>
    public string? Name { get; init; }
    /// <summary>
    /// A good value, shown in messages (<c>e.g. --registry registry.example.com:5000</c>); when not set, the engine takes
    /// the member's default, the "such as" of a <see cref="PatternAttribute"/>, or one that fits the type.
    /// </summary>
    public string? Example { get; init; }
}

/// <summary>A parameter whose value is never printed: not in logs, command lines, errors, the summary, --help or --dry-run.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute;

/// <summary>An absolute file-system path; <c>/</c> joins segments, as in NUKE.</summary>
public readonly record struct AbsolutePath
{
    public AbsolutePath(string value) => Value = System.IO.Path.GetFullPath(value);

    public string Value { get; }
    public string Name => System.IO.Path.GetFileName(Value);
    public AbsolutePath Parent => new(System.IO.Path.GetDirectoryName(Value) ?? Value);

    public static AbsolutePath operator /(AbsolutePath left, string right) => new(System.IO.Path.Combine(left.Value, right));
    public static implicit operator string(AbsolutePath path) => path.Value;
    public bool Exists() => File.Exists(Value) || Directory.Exists(Value);
    public string RelativeTo(AbsolutePath root) => System.IO.Path.GetRelativePath(root.Value, Value).Replace('\\', '/');
    public override string ToString() => Value;
}

/// <summary>
/// A text parameter must match <see cref="Regex"/> (whole value); <see cref="Expected"/> says what a good value is, with
/// an example, in the words of the error message: <c>a commit sha of 7 to 40 hex digits, such as 3f2a9c1</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class PatternAttribute(string regex, string expected) : Attribute
{
    public string Regex { get; } = regex;
    public string Expected { get; } = expected;
}

/// <summary>A URL parameter accepts only these schemes (default: http, https, ssh, file); <see cref="Example"/> shows a good value.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class UriSchemesAttribute(string example, params string[] schemes) : Attribute
{
    public string Example { get; } = example;
    public IReadOnlyList<string> Schemes { get; } = schemes;
}

/// <summary>A whole-number parameter must lie within <see cref="Minimum"/> and <see cref="Maximum"/>, both included.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class BetweenAttribute(int minimum, int maximum) : Attribute
{
    public int Minimum { get; } = minimum;
    public int Maximum { get; } = maximum;
}
