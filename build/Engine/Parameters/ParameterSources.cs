using System.Text.Json;
using System.Text.Json.Nodes;
using CloudAge.Common.Text;

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
            document = JsonDocument.Parse(Read(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            // The reader's own wording ("... when isFinalBlock is true") speaks of its API, not of the file.
            var where = e.LineNumber is { } line ? $":{line + 1}:{(e.BytePositionInLine ?? 0) + 1}" : string.Empty;
            throw new UsageException($"{path}{where}: not valid JSON (look there for a missing comma, quote or brace); a parameters file is an object such as {{ \"Configuration\": \"Release\" }}.");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new UsageException($"{path}: expected a JSON object of parameter names and values, such as {{ \"Configuration\": \"Release\" }}.");
            var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            // Keys match parameters ignoring case, '-' and '_' (LocalPort, local_port), so two such spellings are one key.
            var seen = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var key = property.Name;
                if (key == "$schema" || property.Value.ValueKind == JsonValueKind.Null)
                    continue;
                // A key given twice is a mistake whichever copy was meant; JSON readers disagree on which one wins.
                if (!seen.TryAdd(DidYouMean.Normalize(key), key))
                {
                    var first = seen[DidYouMean.Normalize(key)];
                    throw new UsageException(first == key
                        ? $"{name}: the key \"{UserText.Printable(key)}\" is given twice; keep one of them."
                        : $"{name}: the key \"{UserText.Printable(key)}\" is given twice (also as \"{UserText.Printable(first)}\": case, '-' and '_' do not matter); keep one of them.");
                }
                values[key] = property.Value.ValueKind == JsonValueKind.Array
                    ? property.Value.EnumerateArray().Select(item => Scalar(name, key, item)).ToList()
                    : [Scalar(name, key, property.Value)];
            }
            return new ParameterFile(path, values);
        }
    }

    // A parameters file is the user's input like a flag: one that is there but cannot be read (a folder, a link to nothing,
    // no read permission) is a usage error naming the file, not the runtime's "Access to the path ... is denied." (exit 1).
    private static string Read(string path)
    {
        var shown = UserText.Printable(path, 260);
        const string Fix = "make it a readable JSON file such as { \"Configuration\": \"Release\" }, or remove it";
        if (Directory.Exists(path))
            throw new UsageException($"{shown}: is a folder, not a file; {Fix}.");
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var why = e switch
            {
                UnauthorizedAccessException => "no permission to read it",
                FileNotFoundException or DirectoryNotFoundException => "it is a link to a file that does not exist",
                _ => UserText.Printable(e.Message, 260),
            };
            throw new UsageException($"{shown}: cannot be read ({why}); {Fix}.");
        }
    }

    // Parameters are text, numbers or true/false (or arrays of them); an object would otherwise turn into its JSON text.
    private static string Scalar(string file, string key, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => throw new UsageException($"{file}: \"{UserText.Printable(key)}\" holds {(value.ValueKind == JsonValueKind.Object ? "an object" : "a nested array")}; give a string, number or true/false (or an array of them), such as \"{UserText.Printable(key)}\": \"value\"."),
    };
}
