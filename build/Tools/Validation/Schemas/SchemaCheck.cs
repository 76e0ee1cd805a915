using CloudAge.Common.Yaml;
using CloudAge.Tools.Validation.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Validation.Schemas;

/// <summary>Walks a document against a <see cref="FieldSchema"/> and reports every mismatch at the offending node.</summary>
internal static class SchemaCheck
{
    public static void Run(ManifestDocument document, ObjectSchema schema, string ruleId, FindingList findings)
    {
        var where = $"{document.ApiVersion} {document.Kind}";
        Check(document.Root, schema, "", document.Root);

        void Check(YamlNode node, FieldSchema schema, string path, YamlNode key)
        {
            var label = path.Length == 0 ? "document" : path;
            switch (schema)
            {
                case AnySchema:
                    return;
                case ScalarSchema scalar when node is not YamlScalarNode:
                    Report(node, $"{label}: expected {scalar.Expected}, found {Shape(node)} in {where}");
                    return;
                case ScalarSchema scalar:
                    var value = ((YamlScalarNode)node).Value ?? "";
                    if (TypeMismatch((YamlScalarNode)node, scalar) is { } found)
                    {
                        Report(node, $"{label}: expected {scalar.Expected}, found {found} in {where}; {Fix((YamlScalarNode)node, scalar, key)}");
                    }
                    else if (!IsNull((YamlScalarNode)node) && !scalar.Accepts(value))
                    {
                        Report(node, $"{label}: expected {scalar.Expected}, found \"{value}\" in {where}");
                    }

                    return;
                case ListSchema list when node is YamlSequenceNode seq:
                    for (var i = 0; i < seq.Children.Count; i++)
                    {
                        Check(seq.Children[i], list.Item, $"{path}[{i}]", seq.Children[i]);
                    }

                    return;
                case MapSchema map when node is YamlMappingNode mapping:
                    foreach (var (name, child) in mapping.Entries())
                    {
                        Check(child, map.Value, $"{path}.{name}", mapping.KeyOf(name)!);
                    }

                    return;
                case ObjectSchema obj when node is YamlMappingNode mapping:
                    CheckObject(mapping, obj, path, key);
                    return;
                default:
                    if (node is YamlScalarNode { Value: null or "" } && path.Length > 0)
                    {
                        return;
                    }

                    Report(node, $"{label}: expected {Expected(schema)}, found {Shape(node)} in {where}");
                    return;
            }
        }

        void CheckObject(YamlMappingNode mapping, ObjectSchema obj, string path, YamlNode key)
        {
            foreach (var (childKey, child) in mapping.Children)
            {
                var name = childKey.Text() ?? "";
                var childPath = path.Length == 0 ? name : $"{path}.{name}";
                if (obj.Fields.TryGetValue(name, out var fieldSchema))
                {
                    Check(child, fieldSchema, childPath, childKey);
                }
                else
                {
                    Report(childKey, $"unknown field \"{childPath}\" in {where}");
                }
            }

            foreach (var required in obj.Required.Where(r => mapping.KeyOf(r) is null))
            {
                Report(key, $"missing required field \"{(path.Length == 0 ? required : $"{path}.{required}")}\" in {where}");
            }
        }

        void Report(YamlNode at, string message) => findings.Add(document.File, at, ruleId, message);
    }

    /// <summary>
    /// What the scalar is when it is not of the field's JSON type, as go-yaml v2 reads it: kubectl and the API server
    /// (for a CRD, whose schema then refuses "must be of type string") and kustomize (types.Kustomization.Unmarshal:
    /// sigs.k8s.io/yaml YAMLToJSON, then JSON decoding with DisallowUnknownFields) all read YAML this way, so
    /// <c>newTag: 1.0</c> is a number and <c>limit: "5"</c> a string. A null fits any field; a tag decides itself.
    /// </summary>
    private static string? TypeMismatch(YamlScalarNode scalar, ScalarSchema schema)
    {
        var value = scalar.Value ?? "";
        var plain = scalar.Style is ScalarStyle.Plain or ScalarStyle.Any;
        var type = plain ? GoYamlScalar.Resolve(value) : JsonScalar.String;
        if (!scalar.Tag.IsEmpty || type == JsonScalar.Null || schema.Types.Contains(type))
        {
            return null;
        }

        return type switch
        {
            JsonScalar.String => $"\"{value}\", a string{(plain ? "" : " (it is quoted)")}",
            JsonScalar.Boolean => $"{value}, a boolean{(GoYamlScalar.IsYaml11Boolean(value) ? " (YAML 1.1, which kubectl and kustomize read, takes y, yes, on, n, no and off for true and false)" : "")}",
            _ => $"{value}, a number",
        };
    }

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Tag.IsEmpty && scalar.Style is ScalarStyle.Plain or ScalarStyle.Any && GoYamlScalar.Resolve(scalar.Value ?? "") == JsonScalar.Null;

    private static string Fix(YamlScalarNode scalar, ScalarSchema schema, YamlNode key)
    {
        var field = key is YamlScalarNode { Value: { } name } && !ReferenceEquals(key, scalar) ? $"{name}: " : "- ";
        var value = scalar.Value ?? "";
        return schema.Types.Contains(JsonScalar.String)
            ? $"quote it: {field}\"{value}\""
            : scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any) && GoYamlScalar.Resolve(value) is var unquoted && schema.Types.Contains(unquoted)
                ? $"write it without quotes: {field}{value}"
                : $"write {schema.Expected}, without quotes";
    }

    private static string Expected(FieldSchema schema) => schema switch
    {
        ListSchema => "a list",
        MapSchema or ObjectSchema => "a mapping",
        ScalarSchema s => s.Expected,
        _ => "a value",
    };

    private static string Shape(YamlNode node) => node switch
    {
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        YamlScalarNode s => $"\"{s.Value}\"",
        _ => "an alias",
    };
}
