using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Validation;

/// <summary>Collects findings for one validation run; rules report against YAML marks or plain positions.</summary>
internal sealed class FindingList
{
    private readonly List<Finding> items = [];

    public IReadOnlyList<Finding> Items => items;

    public void Add(string file, int line, int column, string ruleId, string message) =>
        items.Add(new Finding(file, Math.Max(line, 1), Math.Max(column, 1), ruleId, message));

    public void Add(string file, Mark at, string ruleId, string message) =>
        Add(file, (int)at.Line, (int)at.Column, ruleId, message);

    public void Add(string file, YamlNode at, string ruleId, string message) => Add(file, at.Start, ruleId, message);

    public void AddRange(FindingList other) => items.AddRange(other.items);
}
