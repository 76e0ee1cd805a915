using System.Collections.Concurrent;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace CloudAge.Tools.Validation.Kubernetes;

/// <summary>
/// Remembers what the type inspectors inside it answer, so typing thousands of documents costs reflection once per
/// type and property, not once per value. YamlDotNet asks every property's <c>ConverterType</c> for every value it
/// reads, and the attribute-overrides descriptor answers that with a fresh <c>GetCustomAttribute</c> call each time:
/// profiled, that reflection (and the finalizing of what it leaves behind) was a third of Validate's CPU time on a large
/// file. The answers do not change for a model type, so they are kept. Written here because YamlDotNet offers no such
/// option (its CachedTypeInspector keeps the property lists, not what each descriptor answers).
/// </summary>
internal sealed class MemoizingTypeInspector(ITypeInspector inner) : ITypeInspector
{
    private readonly ConcurrentDictionary<Type, IReadOnlyList<IPropertyDescriptor>> _properties = new();
    private readonly ConcurrentDictionary<(Type Type, string Name, bool IgnoreUnmatched, bool CaseInsensitive), IPropertyDescriptor?> _property = new();

    public IEnumerable<IPropertyDescriptor> GetProperties(Type type, object? container) =>
        _properties.GetOrAdd(type, t => inner.GetProperties(t, container).Select(p => (IPropertyDescriptor)new MemoizingDescriptor(p)).ToList());

    // A name the type does not have throws inside (YamlDotNet's "Property 'x' not found on type 'y'", which Validate
    // reports as an unknown field); a throw is not remembered, so each unknown field is reported where it is.
    // With ignoreUnmatched an unknown name answers null, which the interface does not declare.
    public IPropertyDescriptor GetProperty(Type type, object? container, string name, bool ignoreUnmatched, bool caseInsensitivePropertyMatching)
    {
        var key = (type, name, ignoreUnmatched, caseInsensitivePropertyMatching);
        if (_property.TryGetValue(key, out var known))
            return known!;
        var found = inner.GetProperty(type, container, name, ignoreUnmatched, caseInsensitivePropertyMatching);
        var remembered = found is null ? null : new MemoizingDescriptor(found);
        return _property.GetOrAdd(key, remembered)!;
    }

    public string GetEnumName(Type enumType, string name) => inner.GetEnumName(enumType, name);

    public string GetEnumValue(object enumValue) => inner.GetEnumValue(enumValue);

    public bool HasParseMethod(Type type) => inner.HasParseMethod(type);

    public object? Parse(string value, Type type) => inner.Parse(value, type);

    private sealed class MemoizingDescriptor(IPropertyDescriptor inner) : IPropertyDescriptor
    {
        private readonly ConcurrentDictionary<Type, object?> _attributes = new();
        private readonly Lazy<Type?> _converterType = new(() => inner.ConverterType);

        public string Name => inner.Name;
        public bool AllowNulls => inner.AllowNulls;
        public bool CanWrite => inner.CanWrite;
        public Type Type => inner.Type;
        public Type? TypeOverride { get => inner.TypeOverride; set => inner.TypeOverride = value; }
        public int Order { get => inner.Order; set => inner.Order = value; }
        public ScalarStyle ScalarStyle { get => inner.ScalarStyle; set => inner.ScalarStyle = value; }
        public bool Required => inner.Required;
        public Type? ConverterType => _converterType.Value;

        public T? GetCustomAttribute<T>() where T : Attribute => (T?)_attributes.GetOrAdd(typeof(T), _ => inner.GetCustomAttribute<T>());

        public IObjectDescriptor Read(object target) => inner.Read(target);

        public void Write(object target, object? value) => inner.Write(target, value);
    }
}
