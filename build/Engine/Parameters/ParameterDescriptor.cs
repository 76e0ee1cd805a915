using System.Reflection;

namespace CloudAge.Engine.Parameters;

/// <summary>One <see cref="ParameterAttribute"/> member of a build, with the names it answers to in each source.</summary>
public sealed class ParameterDescriptor
{
    private readonly MemberInfo _member;

    private ParameterDescriptor(MemberInfo member, ParameterAttribute attribute)
    {
        _member = member;
        Name = attribute.Name ?? member.Name;
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
