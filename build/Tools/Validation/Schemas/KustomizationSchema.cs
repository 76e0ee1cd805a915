using static CloudAge.Tools.Validation.Schemas.FieldSchema;

namespace CloudAge.Tools.Validation.Schemas;

/// <summary>The kustomize.config.k8s.io/v1beta1 Kustomization fields, hand-written from kustomize's types (no .NET model package exists).</summary>
internal static class KustomizationSchema
{
    public const string ApiVersion = "kustomize.config.k8s.io/v1beta1";
    public const string Kind = "Kustomization";

    private static readonly FieldSchema Generators = ListOf(Object(
        ("name", Text), ("namespace", Text), ("behavior", Text), ("type", Text), ("files", ListOf(Text)),
        ("literals", ListOf(Text)), ("envs", ListOf(Text)), ("options", Any)));

    public static ObjectSchema Kustomization { get; } = Object(
        ("apiVersion", Text), ("kind", Text), ("metadata", Any),
        ("resources", ListOf(Text)), ("components", ListOf(Text)), ("crds", ListOf(Text)),
        ("namespace", Text), ("namePrefix", Text), ("nameSuffix", Text),
        ("commonLabels", StringMap), ("commonAnnotations", StringMap), ("labels", Any),
        ("images", ListOf(Object(("name", Text), ("newName", Text), ("newTag", Text), ("digest", Text)))),
        ("replicas", ListOf(Object(("name", Text), ("count", Integer)))),
        ("patches", Any), ("patchesStrategicMerge", Any), ("patchesJson6902", Any), ("replacements", Any),
        ("configMapGenerator", Generators), ("secretGenerator", Generators), ("generatorOptions", Any),
        ("buildMetadata", ListOf(Text)), ("openapi", Any), ("sortOptions", Any), ("helmCharts", Any),
        ("transformers", ListOf(Text)), ("generators", ListOf(Text)), ("validators", ListOf(Text)));
}
