using System.Text.Json;
using System.Text.RegularExpressions;
using CloudAge.Tools.Container.Attestations;

namespace CloudAge.Tools.Container.Tests.Attestations;

/// <summary>Checks of the documents' required shapes (CycloneDX 1.x JSON schema's required fields, in-toto Statement v1, SLSA provenance v1).</summary>
public static partial class AttestationDocuments
{
    public static void AssertValidCycloneDx(byte[] document, string imageDigest, DateTimeOffset commitTime, int components)
    {
        using var json = JsonDocument.Parse(document);
        var root = json.RootElement;
        Assert.Equal("CycloneDX", root.GetProperty("bomFormat").GetString());
        Assert.Matches(@"^1\.[0-7]$", root.GetProperty("specVersion").GetString());
        // CycloneDX schema: serialNumber matches ^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$ (RFC 4122 layout).
        Assert.Matches(SerialPattern(), root.GetProperty("serialNumber").GetString());
        Assert.Equal(Sbom.SerialNumber(imageDigest), root.GetProperty("serialNumber").GetString());
        Assert.Equal(commitTime, DateTimeOffset.Parse(root.GetProperty("metadata").GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(root.GetProperty("version").GetInt32() >= 1);
        var listed = root.GetProperty("components").EnumerateArray().ToList();
        Assert.Equal(components, listed.Count);
        Assert.All(listed, c =>
        {
            Assert.False(string.IsNullOrEmpty(c.GetProperty("type").GetString()));
            Assert.False(string.IsNullOrEmpty(c.GetProperty("name").GetString()));
        });
    }

    public static void AssertValidInTotoStatement(byte[] document, string subjectDigest)
    {
        using var json = JsonDocument.Parse(document);
        var root = json.RootElement;
        Assert.Equal("https://in-toto.io/Statement/v1", root.GetProperty("_type").GetString());
        Assert.Equal("https://slsa.dev/provenance/v1", root.GetProperty("predicateType").GetString());
        var subject = Assert.Single(root.GetProperty("subject").EnumerateArray().ToList());
        Assert.False(string.IsNullOrEmpty(subject.GetProperty("name").GetString()));
        Assert.Equal(subjectDigest, "sha256:" + subject.GetProperty("digest").GetProperty("sha256").GetString());
        var predicate = root.GetProperty("predicate");
        var definition = predicate.GetProperty("buildDefinition");
        Assert.False(string.IsNullOrEmpty(definition.GetProperty("buildType").GetString()));
        Assert.Equal(JsonValueKind.Object, definition.GetProperty("externalParameters").ValueKind);
        var dependency = definition.GetProperty("resolvedDependencies").EnumerateArray().First();
        Assert.StartsWith("git+", dependency.GetProperty("uri").GetString(), StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{40}$", dependency.GetProperty("digest").GetProperty("gitCommit").GetString());
        Assert.False(string.IsNullOrEmpty(predicate.GetProperty("runDetails").GetProperty("builder").GetProperty("id").GetString()));
    }

    [GeneratedRegex("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")]
    private static partial Regex SerialPattern();
}
