using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudAge.Tools.Container.Attestations;

/// <summary>What a provenance statement says about a build.</summary>
/// <param name="ImageName">The image's repository URI, the statement's subject name.</param>
/// <param name="Digest">The image (index) digest, <c>sha256:…</c>.</param>
/// <param name="SourceRepository">The source repository URL, e.g. <c>https://github.com/org/repo</c>.</param>
/// <param name="Commit">The full commit sha built.</param>
/// <param name="Command">The build command, without secrets.</param>
/// <param name="BuilderId">Who built it: a CI workflow URI, or a local builder id.</param>
/// <param name="CommitTime">The commit time; the statement's only time, so one commit gives one statement.</param>
public sealed record ProvenanceFacts(string ImageName, string Digest, string SourceRepository, string Commit, string Command, string BuilderId, DateTimeOffset CommitTime)
{
    public IReadOnlyList<string> Platforms { get; init; } = [];
}

/// <summary>An in-toto Statement v1 whose predicate is SLSA provenance v1 (https://slsa.dev/spec/v1.0/provenance).</summary>
public static class Provenance
{
    public const string StatementType = "https://in-toto.io/Statement/v1";
    public const string PredicateType = "https://slsa.dev/provenance/v1";
    public const string BuildType = "https://github.com/cloudage/delivery/build-sh/v1";

    public static byte[] Create(ProvenanceFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (!facts.Digest.StartsWith("sha256:", StringComparison.Ordinal))
            throw new ArgumentException($"'{facts.Digest}' is not a sha256 digest.", nameof(facts));
        var source = new JsonObject
        {
            ["uri"] = "git+" + facts.SourceRepository,
            ["digest"] = new JsonObject { ["gitCommit"] = facts.Commit },
        };
        var statement = new JsonObject
        {
            ["_type"] = StatementType,
            ["subject"] = new JsonArray(new JsonObject
            {
                ["name"] = facts.ImageName,
                ["digest"] = new JsonObject { ["sha256"] = facts.Digest["sha256:".Length..] },
            }),
            ["predicateType"] = PredicateType,
            ["predicate"] = new JsonObject
            {
                ["buildDefinition"] = new JsonObject
                {
                    ["buildType"] = BuildType,
                    ["externalParameters"] = new JsonObject
                    {
                        ["source"] = source.DeepClone(),
                        ["command"] = facts.Command,
                        ["platforms"] = new JsonArray([.. facts.Platforms.Select(p => (JsonNode)JsonValue.Create(p))]),
                    },
                    // SOURCE_DATE_EPOCH: every time in the image and its attachments is the commit's.
                    ["internalParameters"] = new JsonObject { ["SOURCE_DATE_EPOCH"] = facts.CommitTime.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) },
                    ["resolvedDependencies"] = new JsonArray(source),
                },
                ["runDetails"] = new JsonObject
                {
                    ["builder"] = new JsonObject { ["id"] = facts.BuilderId },
                },
            },
        };
        return Encoding.UTF8.GetBytes(statement.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>
    /// The predicate type of a bare in-toto statement, or null for anything else (a DSSE envelope, not JSON). One artifact
    /// type, <c>application/vnd.in-toto+json</c>, carries every kind of attestation (Docker Scout attaches its SBOMs and VEX
    /// documents with it), so only a statement of <see cref="PredicateType"/> is this provenance.
    /// </summary>
    public static string? PredicateTypeOf(byte[] document)
    {
        try
        {
            return JsonNode.Parse(document) is JsonObject root && root["_type"] is JsonValue type && type.TryGetValue<string>(out var name)
                && name.StartsWith("https://in-toto.io/Statement/", StringComparison.Ordinal) && root["predicateType"] is JsonValue predicate
                && predicate.TryGetValue<string>(out var predicateType) ? predicateType : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Reads what Inspect shows; throws <see cref="ContainerException"/> when the document is not an in-toto SLSA v1 statement.</summary>
    public static (string Subject, string Source, string Commit, string Builder, string Command) Describe(byte[] statement)
    {
        try
        {
            var root = JsonNode.Parse(statement)!.AsObject();
            if (root["_type"]?.GetValue<string>() != StatementType || root["predicateType"]?.GetValue<string>() != PredicateType)
                throw new ContainerException($"The provenance is not an in-toto Statement v1 with an SLSA provenance v1 predicate.");
            var subject = root["subject"]!.AsArray()[0]!;
            var definition = root["predicate"]!["buildDefinition"]!;
            var source = definition["externalParameters"]!["source"]!;
            return ($"{subject["name"]}@sha256:{subject["digest"]!["sha256"]}", source["uri"]!.GetValue<string>(),
                source["digest"]!["gitCommit"]!.GetValue<string>(), root["predicate"]!["runDetails"]!["builder"]!["id"]!.GetValue<string>(),
                definition["externalParameters"]!["command"]!.GetValue<string>());
        }
        catch (Exception e) when (e is JsonException or NullReferenceException or InvalidOperationException or ArgumentOutOfRangeException)
        {
            throw new ContainerException($"The provenance statement is malformed ({e.Message}).", e);
        }
    }
}
