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
        Type = member is PropertyInfo p ? p.PropertyType : ((FieldInfo)member).FieldType;
        CommandLineName = ToKebab(Name);
        EnvironmentName = ToKebab(Name).Replace('-', '_').ToUpperInvariant();
    }

    /// <summary>The member name; also the key in the parameters files.</summary>
    public string Name { get; }
    public string Description { get; }
    public char Separator { get; }
    public bool IsSecret { get; }
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

    public static IReadOnlyList<ParameterDescriptor> For(Type buildType) =>
        buildType.GetMembers(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(m => m is PropertyInfo { CanWrite: true } or FieldInfo)
            .Select(m => (Member: m, Attribute: m.GetCustomAttribute<ParameterAttribute>()))
            .Where(m => m.Attribute is not null)
            .GroupBy(m => m.Attribute!.Name ?? m.Member.Name)
            .Select(g => g.First())
            .OrderBy(m => m.Member.MetadataToken)
            .Select(m => new ParameterDescriptor(m.Member, m.Attribute!))
            .ToList();

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
