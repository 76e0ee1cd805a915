using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Validation.Yaml;

/// <summary>
/// One parsed document and its text, padded with the lines and columns before it so that any position the
/// strict deserializer reports is already a position in the original file.
/// </summary>
internal sealed record YamlDocumentSource(string File, YamlNode Root, string PaddedText, Mark Start);
