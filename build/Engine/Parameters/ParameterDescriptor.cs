using System.Reflection;

namespace CloudAge.Engine.Parameters;

/// <summary>One <see cref="ParameterAttribute"/> member of a build, with the names it answers to in each source.</summary>
public sealed class ParameterDescriptor
{
    private readonly MemberInfo _member;
    private readonly string? _example;

    private ParameterDescriptor(MemberInfo member, ParameterAttribute attribute)
    {
        _member = member;
        Name = attribute.Name ?? member.Name;
        MemberName = member.Name;
        _example = attribute.Example;
        Description = attribute.Description ?? string.Empty;
        Separator = attribute.Separator;
        IsSecret = member.GetCustomAttribute<SecretAttribute>() is not null;
        Pattern = member.GetCustomAttribute<PatternAttribute>();
        UriSchemes = member.GetCustomAttribute<UriSchemesAttribute>();
        Between = member.GetCustomAttribute<BetweenAttribute>();
        Type = member is PropertyInfo p ? p.PropertyType : ((FieldInfo)member).FieldType;
        CommandLineName = ToKebab(Name);
        EnvironmentName = ToKebab(Name).Replace('-', '_').ToUpperInvariant();
    }

    /// <summary>The member name; also the key in the parameters files.</summary>
    public string Name { get; }
    /// <summary>The property or field as the code names it (<c>nameof</c>); differs from <see cref="Name"/> after a rename.</summary>
    public string MemberName { get; }
    public string Description { get; }
    public char Separator { get; }
    public bool IsSecret { get; }
    /// <summary>The rules a value must follow beyond its type, if any (see <see cref="ValueConverter"/>).</summary>
    public PatternAttribute? Pattern { get; }
    public UriSchemesAttribute? UriSchemes { get; }
    public BetweenAttribute? Between { get; }
    public Type Type { get; }
    /// <summary>Without the leading dashes: <c>image-tag</c>.</summary>
    public string CommandLineName { get; }
    /// <summary>The conventional spelling: <c>IMAGE_TAG</c>.</summary>
    public string EnvironmentName { get; }

    public string HowToSet => $"--{CommandLineName} <value>, the environment variable {EnvironmentName}, or \"{Name}\" in .nuke/parameters.json";

    /// <summary>
    /// The flag with a good value, for messages: <c>--local-port 8080</c>. The value is the attribute's Example, else the
    /// member's default on <paramref name="build"/> (never a secret's), else the "such as" of its Pattern or UriSchemes,
    /// else one that fits the type; a switch is just <c>--flag</c>, text with nothing to go by <c>--flag &lt;value&gt;</c>.
    /// </summary>
    public string Example(object? build)
    {
        var type = Nullable.GetUnderlyingType(Type) ?? Type;
        if (type == typeof(bool))
            return $"--{CommandLineName}";
        return $"--{CommandLineName} {ExampleValue(type, build) ?? "<value>"}";
    }

    private string? ExampleValue(Type type, object? build)
    {
        if (_example is not null)
            return _example;
        if (!IsSecret && build is not null && !type.IsArray && type != typeof(AbsolutePath) && GetValue(build) is { } value && ParameterBinder.HasValue(value) && value is not TimeSpan { Ticks: <= 0 })
        {
            return value switch
            {
                TimeSpan span => ValueConverter.FormatDuration(span),
                IFormattable formattable => formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
                _ => value.ToString(),
            };
        }
        if (Pattern?.Expected is { } expected && expected.LastIndexOf("such as ", StringComparison.Ordinal) is var at and >= 0)
            return expected[(at + "such as ".Length)..].TrimEnd('.');
        if (UriSchemes is not null)
            return UriSchemes.Example;
        var element = type.IsArray ? type.GetElementType()! : type;
        return element == typeof(int) ? (Between is { } b ? b.Minimum.ToString(System.Globalization.CultureInfo.InvariantCulture) : "3")
            : element.IsEnum ? Enum.GetNames(element).FirstOrDefault()
            : element == typeof(TimeSpan) ? "5m"
            : element == typeof(Uri) ? "https://example.com"
            : element == typeof(AbsolutePath) ? "artifacts/out"
            : null;
    }

    public object? GetValue(object build) => _member switch
    {
        PropertyInfo p => p.GetValue(build),
        FieldInfo f => f.GetValue(build),
        _ => null,
    };

    public void SetValue(object build, object? value)
    {
        switch (_member)
        {
            case PropertyInfo p:
                p.SetValue(build, value);
                break;
            case FieldInfo f:
                f.SetValue(build, value);
                break;
        }
    }

    // Runs on every start: a plain loop, since LINQ over value tuples is JIT-compiled (not ReadyToRun) each time.
    public static IReadOnlyList<ParameterDescriptor> For(Type buildType)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var found = new List<ParameterDescriptor>();
        foreach (var member in buildType.GetMembers(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            if (member is not (PropertyInfo { CanWrite: true } or FieldInfo) || !member.IsDefined(typeof(ParameterAttribute), inherit: true))
                continue;
            // GetMembers lists the most derived declaration first; a member hidden by a derived one of the same name is left out.
            var attribute = member.GetCustomAttribute<ParameterAttribute>()!;
            if (seen.Add(attribute.Name ?? member.Name))
                found.Add(new ParameterDescriptor(member, attribute));
        }
        found.Sort((a, b) => a._member.MetadataToken.CompareTo(b._member.MetadataToken));
        return found;
    }

    internal static string ToKebab(string name)
    {
        var chars = new List<char>(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))))
                chars.Add('-');
            chars.Add(c == '_' ? '-' : char.ToLowerInvariant(c));
        }
        return new string(chars.ToArray());
    }
}
