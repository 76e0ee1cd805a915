using System.Text.Json;
using CloudAge.Common.Text;

namespace CloudAge.Tools.Aws.CloudFormation;

/// <summary>
/// Reads stack parameter values in the forms the AWS CLI takes: <c>Key=Value</c> pairs (as
/// <c>aws cloudformation deploy --parameter-overrides</c>) and a JSON file, either the CLI's
/// <c>[{"ParameterKey": "...", "ParameterValue": "..."}]</c> or <c>{"Parameters": {"Key": "Value"}}</c>.
/// </summary>
public static class StackParameterInput
{
    /// <summary>Parses <c>Key=Value</c> pairs; throws <see cref="FormatException"/> naming the first bad one.</summary>
    public static Dictionary<string, string> ParsePairs(IEnumerable<string> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
                throw new FormatException($"'{PeerText.OneLine(pair, 80)}' is not Key=Value");
            result[pair[..equals].Trim()] = pair[(equals + 1)..];
        }
        return result;
    }

    /// <summary>Parses a parameters file; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static Dictionary<string, string> ParseFile(string json)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            // The reader's own wording ("... when isFinalBlock is true. LineNumber: 0 | BytePositionInLine: 0.") speaks of its API.
            throw new FormatException($"it is not JSON (line {(e.LineNumber ?? 0) + 1}, column {(e.BytePositionInLine ?? 0) + 1}: look there for a missing comma, quote or brace)", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in root.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("ParameterKey", out var key) || key.ValueKind != JsonValueKind.String
                        || !item.TryGetProperty("ParameterValue", out var value) || value.ValueKind != JsonValueKind.String)
                        throw new FormatException("every item needs string ParameterKey and ParameterValue");
                    result[key.GetString()!] = value.GetString()!;
                }
                return result;
            }
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("Parameters", out var map) && map.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in map.EnumerateObject())
                {
                    if (property.Value.ValueKind != JsonValueKind.String)
                        throw new FormatException($"the value of {property.Name} must be a string");
                    result[property.Name] = property.Value.GetString()!;
                }
                return result;
            }
            throw new FormatException("expected [{\"ParameterKey\": ..., \"ParameterValue\": ...}] or {\"Parameters\": {\"Key\": \"Value\"}}");
        }
    }
}
