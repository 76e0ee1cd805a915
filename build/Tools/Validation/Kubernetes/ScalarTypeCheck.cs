using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json.Serialization;
using CloudAge.Common.Yaml;
using CloudAge.Tools.Validation.Yaml;
using k8s.Models;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Validation.Kubernetes;

/// <summary>
/// The JSON type of each scalar against its model field, as the API server decodes a manifest. kubectl and the API
/// server turn YAML into JSON first (sigs.k8s.io/yaml <c>YAMLToJSON</c>: go-yaml v2, no target type, see
/// <see cref="GoYamlScalar"/>), then decode that JSON strictly into the Go types, so an unquoted <c>50</c> or
/// <c>true</c> in a string field is refused ("json: cannot unmarshal number into Go struct field ConfigMap.data of
/// type string"), as is a quoted <c>"2"</c> in an integer field, although YamlDotNet converts both without a word.
/// A null (<c>~</c>, <c>null</c>, nothing) fits any field: JSON decoding leaves the zero value. An IntOrString takes
/// either, in the form its field allows (<see cref="IntOrStringFormat"/>); fields of other types (quantities, byte
/// arrays, free-form objects) take either. Runs once the strict typing has passed, so a
/// value it refused is not reported twice; every mismatch in the document is reported.
/// </summary>
internal static class ScalarTypeCheck
{
    private static readonly ConcurrentDictionary<Type, Shape> Shapes = new();

    public static void Run(ManifestDocument document, Type model, FindingList findings)
    {
        var visited = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        Walk(document.Root, model, "", null);

        void Walk(YamlNode node, Type type, string path, string? key)
        {
            var shape = Shapes.GetOrAdd(type, Describe);
            switch (node)
            {
                case YamlScalarNode scalar when shape.Scalar is { } expected && Mismatch(scalar, expected) is { } found && visited.Add(scalar):
                    findings.Add(document.File, scalar, RuleIds.KubernetesSchema, Message(document, scalar, path, key, expected, found, shape.GoType));
                    break;
                case YamlScalarNode scalar when type == typeof(IntOrString) && IntOrStringFormat.Problem(scalar, key, document.Kind) is { } problem && visited.Add(scalar):
                    findings.Add(document.File, scalar, RuleIds.KubernetesSchema, $"{path}: {problem} in {document.ApiVersion} {document.Kind}");
                    break;
                // Each node once: an aliased node is shared, and walking it at every alias is exponential in the nesting.
                case YamlMappingNode map when visited.Add(map):
                    foreach (var (keyNode, value) in map.Children)
                    {
                        if (keyNode is YamlScalarNode { Value: { } name } && (shape.Values ?? shape.Fields?.GetValueOrDefault(name)) is { } field)
                        {
                            Walk(value, field, path.Length == 0 ? name : $"{path}.{name}", name);
                        }
                    }

                    break;
                case YamlSequenceNode list when shape.Items is { } item && visited.Add(list):
                    for (var i = 0; i < list.Children.Count; i++)
                    {
                        Walk(list.Children[i], item, $"{path}[{i}]", null);
                    }

                    break;
            }
        }
    }

    // Untagged scalars only: a tag (!!str, !!int) decides the type itself, as it does for go-yaml.
    private static JsonScalar? Mismatch(YamlScalarNode scalar, JsonScalar expected)
    {
        if (!scalar.Tag.IsEmpty)
        {
            return null;
        }

        var found = scalar.Style is ScalarStyle.Plain or ScalarStyle.Any ? GoYamlScalar.Resolve(scalar.Value ?? "") : JsonScalar.String;
        return found == JsonScalar.Null || found == expected ? null : found;
    }

    private static string Message(ManifestDocument document, YamlScalarNode scalar, string path, string? key, JsonScalar expected, JsonScalar found, string goType)
    {
        var value = scalar.Value ?? "";
        var plain = scalar.Style is ScalarStyle.Plain or ScalarStyle.Any;
        // A Secret's stringData is a secret: the finding names the field, never the value.
        var secret = document.Kind == "Secret";
        var shown = secret ? "the value" : plain ? value : $"\"{Shorten(value)}\"";
        var why = found switch
        {
            JsonScalar.String when plain => "a string",
            JsonScalar.String => scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted ? "a string (it is quoted)" : "a string (a block scalar)",
            JsonScalar.Boolean when GoYamlScalar.IsYaml11Boolean(value) => "a boolean (YAML 1.1, which kubectl reads, takes y, yes, on, n, no and off for true and false)",
            JsonScalar.Boolean => "a boolean",
            _ => "a number",
        };
        var field = key is null ? "- " : $"{key}: ";
        var fix = expected switch
        {
            JsonScalar.String => $"quote it: {field}\"{(secret ? "..." : value)}\"",
            _ when !plain && GoYamlScalar.Resolve(value) == expected => $"write it without quotes: {field}{value}",
            JsonScalar.Boolean => "write true or false, without quotes",
            _ => $"write {Name(expected, goType)}, without quotes",
        };
        return $"{path}: {shown} is {why}, but this field takes {Name(expected, goType)} in {document.ApiVersion} {document.Kind}: " +
               $"the API server refuses it (\"cannot unmarshal {GoName(found)} into a field of type {goType}\"); {fix}";
    }

    private static string Shorten(string value) => value.Length > 40 ? $"{value[..37]}..." : value;

    private static string Name(JsonScalar type, string goType) => type switch
    {
        JsonScalar.String => "a string",
        JsonScalar.Boolean => "a boolean",
        _ when goType.StartsWith("int", StringComparison.Ordinal) => "an integer",
        _ => "a number",
    };

    private static string GoName(JsonScalar type) => type switch
    {
        JsonScalar.String => "string",
        JsonScalar.Boolean => "bool",
        _ => "number",
    };

    /// <summary>What a model type takes: a JSON scalar type with its Go name, a map's values, a list's items or an object's fields.</summary>
    private sealed record Shape(JsonScalar? Scalar, string GoType, Type? Values, Type? Items, FrozenDictionary<string, Type>? Fields);

    private static Shape Describe(Type type)
    {
        var bare = Nullable.GetUnderlyingType(type) ?? type;
        // KubernetesClient's models map int32 to int, int64 to long, and float64 to double.
        (JsonScalar?, string) scalar = Type.GetTypeCode(bare) switch
        {
            TypeCode.String => (JsonScalar.String, "string"),
            TypeCode.Boolean => (JsonScalar.Boolean, "bool"),
            TypeCode.Int32 => (JsonScalar.Number, "int32"),
            TypeCode.Int64 => (JsonScalar.Number, "int64"),
            TypeCode.Double => (JsonScalar.Number, "float64"),
            TypeCode.Single or TypeCode.Decimal or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.UInt32 or TypeCode.UInt64 or TypeCode.Byte or TypeCode.SByte => (JsonScalar.Number, "number"),
            _ => (null, ""),
        };
        if (scalar.Item1 is not null || bare == typeof(object))
        {
            return new Shape(scalar.Item1, scalar.Item2, null, null, null);
        }

        if (Generic(bare, typeof(IDictionary<,>)) is [_, var values])
        {
            return new Shape(null, "", values, null, null);
        }

        if (Generic(bare, typeof(IList<>)) is [var item])
        {
            return new Shape(null, "", null, item, null);
        }

        var fields = bare.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name, p.PropertyType))
            .Where(p => p.Name is not null)
            .GroupBy(p => p.Name!, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.First().PropertyType, StringComparer.Ordinal);
        return new Shape(null, "", null, null, fields);
    }

    private static Type[]? Generic(Type type, Type definition) =>
        (type.IsGenericType && type.GetGenericTypeDefinition() == definition
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition))?.GetGenericArguments();
}
