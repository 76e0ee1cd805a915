using CloudAge.Engine;
using CloudAge.Engine.Cli;
using CloudAge.Tools.Aws.Ecr;
using CloudAge.Tools.Container;
using CloudAge.Tools.Container.Attestations;
using CloudAge.Tools.Container.Oci;
using CloudAge.Tools.Container.Pushing;
using CloudAge.Tools.Container.Registry;

namespace CloudAge.Build;

public sealed partial class Build
{
    [Parameter("Image for Inspect: registry/repository:tag or registry/repository@sha256:<hex>")]
    [Pattern(@"[A-Za-z0-9.-]+(:[0-9]+)?/[a-z0-9]+([._-]+[a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[0-9a-f]{64})?",
        "registry/repository:tag or registry/repository@sha256:<64 hex>, such as 123456789012.dkr.ecr.eu-west-1.amazonaws.com/cloudage:sha-0123abc")]
    public string? Image { get; init; }

    Target Inspect => _ => _
        .Description("Shows an image in its registry: the index and its platforms, the attached SBOM (component count) and provenance")
        .Requires(() => Image)
        .Executes(async cancellationToken =>
        {
            var (registry, repository, reference) = ParseImageReference(Image!);
            using var client = new RegistryClient(registry, await InspectCredentials(registry, cancellationToken), Secrets, Log.Information);
            var manifest = await client.GetManifestAsync(repository, reference, cancellationToken)
                ?? throw new ContainerException($"Registry {registry} has no image {repository}:{reference}; check the tag (./build.sh PushEcr writes it to artifacts/image.json).");
            Log.Information($"{registry}/{repository}@{manifest.Digest}");
            Log.Information($"  type: {manifest.MediaType}");
            if (OciMediaTypes.IsIndex(manifest.MediaType))
            {
                var index = OciJson.Deserialize<OciIndex>(manifest.Content, $"Index {repository}@{manifest.Digest}");
                foreach (var entry in index.Manifests)
                {
                    var held = await client.GetManifestDigestAsync(repository, entry.Digest, cancellationToken) is not null;
                    Log.Information($"  platform {entry.Platform?.ToString() ?? "(none)"}: {entry.Digest} ({entry.Size} bytes){(held ? "" : " MISSING from the registry")}");
                }
            }
            else
            {
                Log.Information("  a single-platform manifest (no index)");
            }

            var referrers = new Referrers(client, Log.Information);
            var artifacts = await referrers.ListAsync(repository, manifest.Digest, cancellationToken: cancellationToken);
            var sboms = artifacts.Where(a => a.ArtifactType == OciMediaTypes.CycloneDxJson).ToList();
            var statements = artifacts.Where(a => a.ArtifactType == OciMediaTypes.InTotoJson).ToList();
            if (sboms.Count == 0)
                Log.Information("  SBOM: none attached");
            foreach (var sbom in sboms)
            {
                var content = await referrers.ReadAsync(repository, sbom, cancellationToken);
                Log.Information($"  SBOM {sbom.Digest[..19]}: CycloneDX, {Tools.Container.Attestations.Sbom.ComponentCount(content)} components");
            }
            var provenances = 0;
            foreach (var statement in statements)
            {
                var content = await referrers.ReadAsync(repository, statement, cancellationToken);
                // Other tools attach other attestations with the same artifact type (Docker Scout: SBOMs, VEX; some as DSSE envelopes).
                if (Provenance.PredicateTypeOf(content) is var predicateType && predicateType != Provenance.PredicateType)
                {
                    Log.Information($"  in-toto {statement.Digest[..19]}: predicate {predicateType ?? "unknown (not a bare in-toto statement)"}, not SLSA provenance v1");
                    continue;
                }
                var (subject, source, commit, builder, command) = Provenance.Describe(content);
                Log.Information($"  provenance {statement.Digest[..19]}: SLSA v1 for {subject}");
                Log.Information($"    source {source} @ {commit}; builder {builder}; command {command}");
                provenances++;
            }
            if (provenances == 0)
                Log.Information("  provenance: none attached");
            SetOutput("image-digest", manifest.Digest);
            SetOutput("sbom-count", sboms.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            SetOutput("provenance-count", provenances.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });

    /// <summary>registry/repository[:tag|@digest] split as Docker reads it; the registry part is required (there is no default registry here).</summary>
    static (string Registry, string Repository, string Reference) ParseImageReference(string image)
    {
        var slash = image.IndexOf('/', StringComparison.Ordinal);
        var host = slash > 0 ? image[..slash] : "";
        if (slash <= 0 || !(host.Contains('.', StringComparison.Ordinal) || host.Contains(':', StringComparison.Ordinal) || host == "localhost"))
            throw new UsageException($"Parameter 'Image' (--image): '{image}' names no registry. Pass registry/repository:tag, for example --image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/cloudage:sha-0123abc.");
        var rest = image[(slash + 1)..];
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at > 0)
            return (host, rest[..at], rest[(at + 1)..]);
        var colon = rest.LastIndexOf(':');
        return colon > 0 ? (host, rest[..colon], rest[(colon + 1)..]) : (host, rest, "latest");
    }

    async Task<RegistryCredentials?> InspectCredentials(string registry, CancellationToken cancellationToken)
    {
        if (!IsEcrRegistry(registry))
            return RegistryUsername is not null ? new RegistryCredentials(RegistryUsername, RegistryPassword ?? string.Empty) : null;
        using var ecr = await ConnectEcr(cancellationToken);
        var authorization = await ecr.GetAuthorizationTokenAsync(cancellationToken);
        return new RegistryCredentials(authorization.UserName, authorization.Password);
    }
}
