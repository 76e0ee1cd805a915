using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudAge.Tools.Container.Attestations;

/// <summary>
/// Makes a CycloneDX JSON SBOM (as the CycloneDX .NET tool writes it) reproducible: the serial number is derived from
/// the image digest instead of a random UUID, and the timestamp is the commit time, so one commit gives one SBOM digest.
/// </summary>
public static class Sbom
{
    public static byte[] MakeReproducible(byte[] cycloneDxJson, string imageDigest, DateTimeOffset commitTime)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(cycloneDxJson);
        }
        catch (JsonException e)
        {
            throw new ContainerException($"The SBOM is not JSON ({e.Message}); generate it with the CycloneDX tool's '-F Json'.", e);
        }
        if (root is not JsonObject bom || bom["bomFormat"]?.GetValue<string>() != "CycloneDX")
            throw new ContainerException("The SBOM is not a CycloneDX JSON document (no \"bomFormat\": \"CycloneDX\").");
        bom["serialNumber"] = SerialNumber(imageDigest);
        if (bom["metadata"] is not JsonObject metadata)
            bom["metadata"] = metadata = new JsonObject();
        metadata["timestamp"] = commitTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        return Encoding.UTF8.GetBytes(bom.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>A name-based UUID (RFC 9562 version 8 layout over SHA-256) of the digest, as CycloneDX's <c>urn:uuid:</c> serial number.</summary>
    public static string SerialNumber(string imageDigest)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes("cyclonedx-serial:" + imageDigest))[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexStringLower(bytes);
        return $"urn:uuid:{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    /// <summary>How many components the SBOM lists (what Inspect shows).</summary>
    public static int ComponentCount(byte[] cycloneDxJson)
    {
        using var document = JsonDocument.Parse(cycloneDxJson);
        return document.RootElement.TryGetProperty("components", out var components) && components.ValueKind == JsonValueKind.Array ? components.GetArrayLength() : 0;
    }
}
