using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudAge.Engine.Parameters;

/// <summary>
/// Everything parameters are read from, passed in rather than read from the process, so tests use plain dictionaries.
/// </summary>
/// <param name="CommandLine">Values given as <c>--kebab-name v1 v2</c>, keyed by the kebab name.</param>
/// <param name="Environment">The environment variables.</param>
/// <param name="Files">Parameter files, most important first (the profile's, then parameters.json).</param>
public sealed record ParameterSources(
    IReadOnlyDictionary<string, IReadOnlyList<string>> CommandLine,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<ParameterFile> Files);

/// <summary>A <c>.nuke/parameters*.json</c> file, already read.</summary>
public sealed record ParameterFile(string Path, IReadOnlyDictionary<string, IReadOnlyList<string>> Values)
{
    public static ParameterFile Load(string path)
    {
        var name = System.IO.Path.GetFileName(path);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new UsageException($"{path}:{e.LineNumber + 1}:{e.BytePositionInLine + 1}: not valid JSON: {e.Message.Split(" LineNumber", 2)[0]}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new UsageException($"{path}: expected a JSON object of parameter names and values, such as {{ \"Configuration\": \"Release\" }}.");
            var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var key = property.Name;
                if (key == "$schema" || property.Value.ValueKind == JsonValueKind.Null)
                    continue;
                // A key given twice is a mistake whichever copy was meant; JSON readers disagree on which one wins.
                if (values.ContainsKey(key))
                    throw new UsageException($"{name}: the key \"{key}\" is given twice; keep one of them.");
                values[key] = property.Value.ValueKind == JsonValueKind.Array
                    ? property.Value.EnumerateArray().Select(item => Scalar(name, key, item)).ToList()
                    : [Scalar(name, key, property.Value)];
            }
            return new ParameterFile(path, values);
        }
    }

    // Parameters are text, numbers or true/false (or arrays of them); an object would otherwise turn into its JSON text.
    private static string Scalar(string file, string key, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => throw new UsageException($"{file}: \"{key}\" holds {(value.ValueKind == JsonValueKind.Object ? "an object" : "a nested array")}; give a string, number or true/false (or an array of them), such as \"{key}\": \"value\"."),
    };
}
