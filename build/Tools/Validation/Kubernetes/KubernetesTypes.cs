using System.Collections.Frozen;
using System.Reflection;
using k8s;
using k8s.Models;

namespace CloudAge.Tools.Validation.Kubernetes;

/// <summary>
/// Maps "group/version/kind" to a strict deserializer for the KubernetesClient model of that kind. Built once
/// per process from the models' [KubernetesEntity] attributes, so it follows the package's API version.
/// </summary>
internal static class KubernetesTypes
{
    private static readonly FrozenDictionary<string, Func<string, bool, object>> Deserializers = Build();

    public static bool TryGetStrictDeserializer(string apiVersion, string kind, out Func<string, object> deserialize)
    {
        if (Deserializers.TryGetValue($"{apiVersion}/{kind}", out var generic))
        {
            deserialize = text => generic(text, true);
            return true;
        }

        deserialize = _ => throw new InvalidOperationException($"no model for {apiVersion}/{kind}");
        return false;
    }

    public static bool IsKnownApiVersion(string apiVersion) =>
        Deserializers.Keys.Any(k => k.StartsWith(apiVersion + "/", StringComparison.Ordinal) && k.LastIndexOf('/') == apiVersion.Length);

    private static FrozenDictionary<string, Func<string, bool, object>> Build()
    {
        var method = typeof(KubernetesYaml).GetMethod(nameof(KubernetesYaml.Deserialize), [typeof(string), typeof(bool)])
            ?? throw new InvalidOperationException("KubernetesYaml.Deserialize(string, bool) is missing; the KubernetesClient package changed its API.");
        var map = new Dictionary<string, Func<string, bool, object>>(StringComparer.Ordinal);
        foreach (var type in typeof(V1Pod).Assembly.GetExportedTypes())
        {
            if (type.GetCustomAttribute<KubernetesEntityAttribute>() is not { Kind: { Length: > 0 } kind } entity)
            {
                continue;
            }

            var apiVersion = string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}";
            map.TryAdd($"{apiVersion}/{kind}", method.MakeGenericMethod(type).CreateDelegate<Func<string, bool, object>>());
        }

        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
