namespace CloudAge.Tools.Container.Oci;

/// <summary>Media and artifact types of the OCI image spec v1.1 (and the two Docker ones a registry may answer with).</summary>
public static class OciMediaTypes
{
    public const string ImageIndex = "application/vnd.oci.image.index.v1+json";
    public const string ImageManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string ImageConfig = "application/vnd.oci.image.config.v1+json";
    public const string LayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string LayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";

    /// <summary>The empty descriptor's type: the config of an artifact manifest that has none (image-spec manifest.md, "Guidelines for Artifact Usage").</summary>
    public const string Empty = "application/vnd.oci.empty.v1+json";

    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";

    public const string CycloneDxJson = "application/vnd.cyclonedx+json";
    public const string InTotoJson = "application/vnd.in-toto+json";

    public static bool IsIndex(string? mediaType) => mediaType is ImageIndex or DockerManifestList;
}
