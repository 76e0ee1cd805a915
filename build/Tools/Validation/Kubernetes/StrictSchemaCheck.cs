using System.Text.RegularExpressions;
using CloudAge.Tools.Validation.Yaml;
using YamlDotNet.Core;

namespace CloudAge.Tools.Validation.Kubernetes;

/// <summary>Strict typing of one document against its KubernetesClient model: the errors kubectl --dry-run gives.</summary>
internal static partial class StrictSchemaCheck
{
    /// <param name="events">The events the document was parsed from.</param>
    public static void Run(ManifestDocument document, IReadOnlyList<YamlDotNet.Core.Events.ParsingEvent> events, Func<IParser, object?> deserialize, FindingList findings)
    {
        object? typed;
        try
        {
            // The events carry the file's own marks, so an error's position is already a position in the file.
            typed = deserialize(new RecordedEventParser(events));
        }
        catch (YamlException e)
        {
            var path = Shorten(Nodes.PathTo(document.Root, e.Start));
            findings.Add(document.File, e.Start, RuleIds.KubernetesSchema, Describe(e, path, document));
            return;
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or ArgumentException or OverflowException)
        {
            // Type converters can throw without YamlDotNet wrapping them; a manifest must never crash Validate.
            findings.Add(document.File, document.Root, RuleIds.KubernetesSchema,
                $"a value does not fit its field in {document.ApiVersion} {document.Kind}: {e.Message}");
            return;
        }

        // YamlDotNet converts 50 into a string field and "2" into an integer one; the API server does not.
        if (typed is not null)
        {
            ScalarTypeCheck.Run(document, typed.GetType(), findings);
        }
    }

    private static string Describe(YamlException e, string? path, ManifestDocument document)
    {
        var where = $"{document.ApiVersion} {document.Kind}";
        if (UnknownProperty().Match(e.Message) is { Success: true } unknown)
        {
            return $"unknown field \"{path ?? unknown.Groups[1].Value}\" ({unknown.Groups[2].Value} has no field \"{unknown.Groups[1].Value}\") in {where}";
        }

        if (UnexpectedEvent().Match(e.Message) is { Success: true } shape)
        {
            return $"{path ?? "value"}: expected {Shape(shape.Groups[1].Value)}, found {Shape(shape.Groups[2].Value)} in {where}";
        }

        var reason = e.InnerException is { } inner ? inner.Message : e.Message;
        return $"{path ?? "value"}: wrong type or format for this field in {where}: {reason}";
    }

    // A path through hundreds of nested lists says nothing more than its ends do.
    private static string? Shorten(string? path) => path is { Length: > 160 } ? $"{path[..80]}…{path[^60..]}" : path;

    private static string Shape(string yamlEvent) => yamlEvent switch
    {
        "MappingStart" => "a mapping",
        "SequenceStart" => "a list",
        "Scalar" => "a single value",
        _ => yamlEvent,
    };

    [GeneratedRegex(@"Property '([^']+)' not found on type '(?:k8s\.Models\.)?([^']+)'")]
    private static partial Regex UnknownProperty();

    [GeneratedRegex(@"Expected '(\w+)', got '(\w+)'")]
    private static partial Regex UnexpectedEvent();
}
