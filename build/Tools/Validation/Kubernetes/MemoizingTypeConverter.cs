using System.Collections.Concurrent;
using System.Reflection;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.Utilities;

namespace CloudAge.Tools.Validation.Kubernetes;

/// <summary>
/// YamlDotNet's value conversion with its one costly step remembered: a value whose type does not fit the field
/// (a string for a <c>ResourceQuantity</c> or an <c>IntOrString</c>) is converted through the types' cast operator,
/// which YamlDotNet looks up with reflection over every public static method of both types for every such value.
/// Here the operator is looked up once per pair of types; everything else is YamlDotNet's own conversion, unchanged.
/// Written here because YamlDotNet has no cached converter to choose.
/// </summary>
internal sealed class MemoizingTypeConverter(ITypeConverter inner) : ITypeConverter
{
    private readonly ConcurrentDictionary<(Type Source, Type Destination), MethodInfo?> _operators = new();

    public object? ChangeType(object? value, Type expectedType, INamingConvention enumNamingConvention, ITypeInspector typeInspector)
    {
        if (value is null || expectedType.IsInstanceOfType(value))
            return inner.ChangeType(value, expectedType, enumNamingConvention, typeInspector);
        var cast = _operators.GetOrAdd((value.GetType(), expectedType), pair => Operator(pair.Source, pair.Destination));
        return cast is null
            ? inner.ChangeType(value, expectedType, enumNamingConvention, typeInspector)
            : cast.Invoke(null, BindingFlags.DoNotWrapExceptions, binder: null, [value], culture: null); // the operator's own error, as YamlDotNet reports it // the operator's own error, as YamlDotNet reports it
    }

    // The implicit operator of the destination or the source type, else an explicit one, as YamlDotNet's
    // TypeConverter searches; none (null) leaves the value to YamlDotNet's other conversions.
    private static MethodInfo? Operator(Type source, Type destination)
    {
        foreach (var name in new[] { "op_Implicit", "op_Explicit" })
        {
            foreach (var owner in new[] { destination, source })
            {
                var found = owner.GetMethods(BindingFlags.Public | BindingFlags.Static).FirstOrDefault(m =>
                    m.Name == name && m.ReturnType == destination && m.GetParameters() is [var only] && only.ParameterType.IsAssignableFrom(source));
                if (found is not null)
                    return found;
            }
        }
        return null;
    }
}
