using static CloudAge.Tools.Validation.Schemas.FieldSchema;

namespace CloudAge.Tools.Validation.Schemas;

/// <summary>
/// The argoproj.io/v1alpha1 Application fields, hand-written from the Argo CD CRD (v2/v3) because no Argo CD
/// model package is served to this build. Covers spec in full; operation and status are owned by Argo CD.
/// </summary>
internal static class ArgoCdApplicationSchema
{
    public const string ApiVersion = "argoproj.io/v1alpha1";
    public const string Kind = "Application";

    private static readonly ObjectSchema Metadata = Object(
        ("name", Text), ("namespace", Text), ("labels", StringMap), ("annotations", StringMap),
        ("finalizers", ListOf(Text)), ("generateName", Text)).Requires("name");

    private static readonly ObjectSchema Source = Object(
        ("repoURL", Text), ("targetRevision", Text), ("path", Text), ("chart", Text), ("ref", Text), ("name", Text),
        // ApplicationSource.TagPrefix, argo-cd v3.5.0 pkg/apis/application/v1alpha1/types.go.
        ("tagPrefix", Text),
        // ApplicationSourceDirectory.DisableExtensionFilter: argo-cd commit 69afa575 (argoproj/argo-cd#28571, on master
        // after release-3.5 was cut, so in 3.6, the release docs/argocd-setup.md pins).
        ("directory", Object(("recurse", Flag), ("include", Text), ("exclude", Text), ("jsonnet", Any), ("disableExtensionFilter", Flag))),
        ("kustomize", Object(
            ("namePrefix", Text), ("nameSuffix", Text), ("images", ListOf(Text)), ("commonLabels", StringMap),
            ("commonAnnotations", StringMap), ("commonAnnotationsEnvsubst", Flag), ("labelWithoutSelector", Flag),
            ("forceCommonLabels", Flag), ("forceCommonAnnotations", Flag), ("namespace", Text), ("version", Text),
            ("replicas", ListOf(Object(("name", Text), ("count", IntOrString)))), ("patches", Any), ("components", ListOf(Text)),
            ("kubeVersion", Text), ("apiVersions", ListOf(Text)),
            // ApplicationSourceKustomize.IgnoreMissingComponents and LabelIncludeTemplates, argo-cd v3.0.0
            // pkg/apis/application/v1alpha1/types.go.
            ("ignoreMissingComponents", Flag), ("labelIncludeTemplates", Flag))),
        ("helm", Object(
            ("valueFiles", ListOf(Text)), ("values", Text), ("valuesObject", Any), ("releaseName", Text),
            ("parameters", ListOf(Object(("name", Text), ("value", Text), ("forceString", Flag)))),
            ("fileParameters", ListOf(Object(("name", Text), ("path", Text)))), ("version", Text),
            ("passCredentials", Flag), ("ignoreMissingValueFiles", Flag), ("skipCrds", Flag), ("skipSchemaValidation", Flag),
            ("skipTests", Flag), ("namespace", Text), ("kubeVersion", Text), ("apiVersions", ListOf(Text)))),
        ("plugin", Any)).Requires("repoURL");

    private static readonly ObjectSchema SyncPolicy = Object(
        ("automated", Object(("prune", Flag), ("selfHeal", Flag), ("allowEmpty", Flag), ("enabled", Flag))),
        ("syncOptions", ListOf(Text)),
        ("retry", Object(
            ("limit", Integer),
            ("backoff", Object(("duration", Text), ("factor", Integer), ("maxDuration", Text))),
            ("refresh", Flag))),
        ("managedNamespaceMetadata", Object(("labels", StringMap), ("annotations", StringMap))));

    private static readonly ObjectSchema Spec = Object(
        ("project", Text),
        ("source", Source),
        ("sources", ListOf(Source)),
        ("sourceHydrator", Any),
        ("destination", Object(("server", Text), ("name", Text), ("namespace", Text))),
        ("syncPolicy", SyncPolicy),
        ("ignoreDifferences", ListOf(Object(
            ("group", Text), ("kind", Text), ("name", Text), ("namespace", Text), ("jsonPointers", ListOf(Text)),
            ("jqPathExpressions", ListOf(Text)), ("managedFieldsManagers", ListOf(Text))))),
        ("info", ListOf(Object(("name", Text), ("value", Text)))),
        ("revisionHistoryLimit", Integer)).Requires("destination", "project");

    public static ObjectSchema Application { get; } = Object(
        ("apiVersion", Text), ("kind", Text), ("metadata", Metadata), ("spec", Spec), ("operation", Any), ("status", Any))
        .Requires("metadata", "spec");
}
