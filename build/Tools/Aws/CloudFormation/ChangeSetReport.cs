using System.Text;

namespace CloudAge.Tools.Aws.CloudFormation;

/// <summary>A change set as a table: action, logical id, type, and whether a modification replaces the resource.</summary>
public static class ChangeSetReport
{
    public static string Render(string stackName, ChangeSetSummary changeSet)
    {
        ArgumentNullException.ThrowIfNull(changeSet);
        var text = new StringBuilder();
        text.Append($"Change set {changeSet.Name} for stack {stackName}: {changeSet.Changes.Count} change(s)");
        if (changeSet.Changes.Count == 0)
            return text.Append('.').ToString();
        text.AppendLine(":");
        var idWidth = changeSet.Changes.Max(c => c.LogicalId.Length);
        var typeWidth = changeSet.Changes.Max(c => c.ResourceType.Length);
        foreach (var change in changeSet.Changes)
        {
            var replacement = change.Action == "Modify" && change.Replacement is "True" or "Conditional" ? $"  (replacement: {change.Replacement})" : string.Empty;
            text.AppendLine($"  {change.Action,-8} {change.LogicalId.PadRight(idWidth)}  {change.ResourceType.PadRight(typeWidth)}{replacement}".TrimEnd());
        }
        return text.ToString().TrimEnd();
    }
}
