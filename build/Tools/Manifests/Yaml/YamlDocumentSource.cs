using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Manifests.Yaml;

/// <summary>
/// One parsed document and its own text, which starts at <paramref name="Start"/> in the file (padded with the
/// columns before it on its first line). <see cref="InFile"/> turns a position in the text into one in the file.
/// </summary>
internal sealed record YamlDocumentSource(string File, YamlNode Root, string Text, Mark Start)
{
    public Mark InFile(Mark inText) =>
        new(inText.Index + Start.Index - (Start.Column - 1), inText.Line + Start.Line - 1, inText.Column);
}
