using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Aws.CloudFormation;

/// <summary>
/// A template's top-level sections read for the checks before a change set (YAML, and JSON, which YAML reads too;
/// intrinsic-function tags such as <c>!Sub</c> stay on their nodes).
/// </summary>
internal static class TemplateYaml
{
    /// <summary>The mapping under a top-level key (<c>Resources</c>, <c>Parameters</c>); null when the template has none or
    /// cannot be read here, where CloudFormation's own answer to the template says what is wrong with it.</summary>
    public static YamlMappingNode? Section(string templateBody, string key)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(templateBody));
            return stream.Documents.Count == 0 ? null : (stream.Documents[0].RootNode as YamlMappingNode)?.Child(key) as YamlMappingNode;
        }
        catch (YamlException)
        {
            return null;
        }
    }

    public static YamlNode? Child(this YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    /// <summary>The entries of a section, none when it is absent.</summary>
    public static IEnumerable<KeyValuePair<YamlNode, YamlNode>> Entries(this YamlMappingNode? map) =>
        map?.Children ?? Enumerable.Empty<KeyValuePair<YamlNode, YamlNode>>();
}
