using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Validation.Yaml;

/// <summary>
/// One parsed document of a file, where it starts (its root node's mark is not the document's start), and the parser
/// events it was read from, StreamStart to StreamEnd, for typing it without parsing it again.
/// </summary>
internal sealed record YamlDocumentSource(string File, YamlNode Root, Mark Start, IReadOnlyList<ParsingEvent> Events);
