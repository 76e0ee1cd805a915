using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Validation.Yaml;

/// <summary>One parsed document of a file, and where it starts (its root node's mark is not the document's start).</summary>
internal sealed record YamlDocumentSource(string File, YamlNode Root, Mark Start);
