using CloudAge.Tools.Validation.Yaml;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Validation;

/// <summary>One YAML document that has an apiVersion and a kind, with the file it came from.</summary>
internal sealed record ManifestDocument(string File, YamlMappingNode Root, string ApiVersion, string Kind)
{
    public string? Name { get; } = Root.At("metadata", "name").Text();

    public string? Namespace { get; } = Root.At("metadata", "namespace").Text();

    public string Describe() => $"{Kind} {Name ?? "(unnamed)"}";
}
