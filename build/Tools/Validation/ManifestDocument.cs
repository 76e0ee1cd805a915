using CloudAge.Tools.Validation.Yaml;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Validation;

/// <summary>One YAML document that has an apiVersion and a kind, with the file it came from.</summary>
internal sealed record ManifestDocument(string File, YamlMappingNode Root, string ApiVersion, string Kind)
{
    /// <summary>metadata.name, or for a Namespace the namespace a kustomization gives it (<see cref="NamespaceSetBy"/>).</summary>
    public string? Name { get; init; } = Root.At("metadata", "name").Text();

    /// <summary>metadata.namespace, or the namespace a kustomization that lists the document sets (<see cref="NamespaceSetBy"/>).</summary>
    public string? Namespace { get; init; } = Root.At("metadata", "namespace").Text();

    /// <summary>The kustomization whose <c>namespace</c> field decides <see cref="Namespace"/>; null when the manifest does.</summary>
    public ManifestDocument? NamespaceSetBy { get; init; }

    public string Describe() => $"{Kind} {Name ?? "(unnamed)"}";
}
