using System.Collections.Frozen;
using System.Reflection;
using k8s;
using k8s.Models;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace CloudAge.Tools.Validation.Kubernetes;

/// <summary>
/// Maps "group/version/kind" to the KubernetesClient model of that kind, and types a document strictly against it.
/// The map is built once per process from the models' [KubernetesEntity] attributes, so it follows the package's
/// API version.
/// </summary>
internal static class KubernetesTypes
{
    private static readonly FrozenDictionary<string, Type> Models = Build();

    // KubernetesYaml.Deserialize takes only text; its strict deserializer (the same converters and naming, no
    // unknown fields) also takes parser events, which lets Validate type a document it has already parsed instead
    // of parsing its text twice. Its builder is private, so a package update that renames it fails here, loudly.
    // The builder is the package's own (converters, naming, JSON-name overrides); only memos of what reflection
    // answers are added (MemoizingTypeInspector, MemoizingTypeConverter): the same answers, asked once per type.
    private static readonly IDeserializer Strict = BuildStrict();

    private static IDeserializer BuildStrict()
    {
        var builder = typeof(KubernetesYaml).GetProperty("CommonDeserializerBuilder", BindingFlags.NonPublic | BindingFlags.Static)?.GetValue(null) as DeserializerBuilder
            ?? throw new InvalidOperationException("KubernetesYaml.CommonDeserializerBuilder is missing; the KubernetesClient package changed its internals.");
        // YamlDotNet's builder has no option for its value converter; the field it keeps it in is set instead.
        var converter = typeof(DeserializerBuilder).GetField("typeConverter", BindingFlags.NonPublic | BindingFlags.Instance)
            ?? throw new InvalidOperationException("DeserializerBuilder.typeConverter is missing; the YamlDotNet package changed its internals.");
        converter.SetValue(builder, new MemoizingTypeConverter((YamlDotNet.Serialization.Utilities.ITypeConverter)converter.GetValue(builder)!));
        return builder.WithTypeInspector(inner => new MemoizingTypeInspector(inner)).Build();
    }

    public static bool TryGetStrictDeserializer(string apiVersion, string kind, out Func<IParser, object?> deserialize)
    {
        if (Models.TryGetValue($"{apiVersion}/{kind}", out var type))
        {
            deserialize = parser => Strict.Deserialize(parser, type);
            return true;
        }

        deserialize = _ => throw new InvalidOperationException($"no model for {apiVersion}/{kind}");
        return false;
    }

    public static bool IsKnownApiVersion(string apiVersion) =>
        Models.Keys.Any(k => k.StartsWith(apiVersion + "/", StringComparison.Ordinal) && k.LastIndexOf('/') == apiVersion.Length);

    private static FrozenDictionary<string, Type> Build()
    {
        var map = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var type in typeof(V1Pod).Assembly.GetExportedTypes())
        {
            if (type.GetCustomAttribute<KubernetesEntityAttribute>() is not { Kind: { Length: > 0 } kind } entity)
            {
                continue;
            }

            var apiVersion = string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}";
            map.TryAdd($"{apiVersion}/{kind}", type);
        }

        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
