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
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new UsageException($"{path}:{e.LineNumber + 1}:{e.BytePositionInLine + 1}: not valid JSON: {e.Message.Split(" LineNumber", 2)[0]}");
        }
        if (node is not JsonObject obj)
            throw new UsageException($"{path}: expected a JSON object of parameter names and values.");
        var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            if (key == "$schema" || value is null)
                continue;
            values[key] = value is JsonArray array
                ? array.Select(item => item?.ToString() ?? string.Empty).ToList()
                : [value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString()];
        }
        return new ParameterFile(path, values);
    }
}
