using static CloudAge.Tools.Validation.Schemas.FieldSchema;

namespace CloudAge.Tools.Validation.Schemas;

/// <summary>
/// The kustomize.config.k8s.io/v1beta1 Kustomization fields, hand-written from kustomize's types (api/types/kustomization.go
/// and the types it holds; no .NET model package exists). kustomize decodes with DisallowUnknownFields, so a field it
/// does not know is an error there too; the deprecated fields it still reads (bases, imageTags, vars, ...) are listed.
/// </summary>
internal static class KustomizationSchema
{
    public const string ApiVersion = "kustomize.config.k8s.io/v1beta1";
    public const string Kind = "Kustomization";

    private static readonly FieldSchema Generators = ListOf(Object(
        ("name", Text), ("namespace", Text), ("behavior", Text), ("type", Text), ("files", ListOf(Text)),
        ("literals", ListOf(Text)), ("envs", ListOf(Text)), ("env", Text), ("options", Any)));

    private static readonly FieldSchema Images = ListOf(Object(("name", Text), ("newName", Text), ("newTag", Text), ("digest", Text), ("tagSuffix", Text)));

    /// <summary>The file names kustomize reads as the kustomization of a folder (api/konfig/general.go RecognizedKustomizationFileNames).</summary>
    public static bool IsKustomizationFile(string file) => Path.GetFileName(file) is "kustomization.yaml" or "kustomization.yml" or "Kustomization";

    public static ObjectSchema Kustomization { get; } = Object(
        ("apiVersion", Text), ("kind", Text), ("metadata", Any),
        ("resources", ListOf(Text)), ("components", ListOf(Text)), ("crds", ListOf(Text)),
        ("namespace", Text), ("namePrefix", Text), ("nameSuffix", Text),
        ("commonLabels", StringMap), ("commonAnnotations", StringMap), ("labels", Any),
        ("images", Images), ("imageTags", Images), ("bases", ListOf(Text)), ("vars", Any), ("configurations", ListOf(Text)),
        ("helmGlobals", Any), ("helmChartInflationGenerator", Any),
        ("replicas", ListOf(Object(("name", Text), ("count", Integer)))),
        ("patches", Any), ("patchesStrategicMerge", Any), ("patchesJson6902", Any), ("replacements", Any),
        ("configMapGenerator", Generators), ("secretGenerator", Generators), ("generatorOptions", Any),
        ("buildMetadata", ListOf(Text)), ("openapi", Any), ("sortOptions", Any), ("helmCharts", Any),
        ("transformers", ListOf(Text)), ("generators", ListOf(Text)), ("validators", ListOf(Text)));
}
