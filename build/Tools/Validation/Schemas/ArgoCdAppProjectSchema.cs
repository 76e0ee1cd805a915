using static CloudAge.Tools.Validation.Schemas.FieldSchema;

namespace CloudAge.Tools.Validation.Schemas;

/// <summary>
/// The argoproj.io/v1alpha1 AppProject fields, hand-written from Argo CD's AppProjectSpec
/// (pkg/apis/application/v1alpha1/types.go, argo-cd v3.5) for the same reason as the Application schema.
/// </summary>
internal static class ArgoCdAppProjectSchema
{
    public const string Kind = "AppProject";

    private static readonly FieldSchema GroupKind = ListOf(Object(("group", Text), ("kind", Text)).Requires("group", "kind"));

    // The cluster resource lists are ClusterResourceRestrictionItem since argo-cd v3.3.0: a GroupKind plus an optional
    // name, a glob (pkg/apis/application/v1alpha1/types.go).
    private static readonly FieldSchema ClusterRestriction = ListOf(Object(("group", Text), ("kind", Text), ("name", Text)).Requires("group", "kind"));

    private static readonly ObjectSchema Spec = Object(
        ("description", Text),
        ("sourceRepos", ListOf(Text)),
        ("sourceNamespaces", ListOf(Text)),
        ("destinations", ListOf(Object(("server", Text), ("name", Text), ("namespace", Text)))),
        ("destinationServiceAccounts", ListOf(Object(("server", Text), ("namespace", Text), ("defaultServiceAccount", Text)))),
        ("clusterResourceWhitelist", ClusterRestriction),
        ("clusterResourceBlacklist", ClusterRestriction),
        ("namespaceResourceWhitelist", GroupKind),
        ("namespaceResourceBlacklist", GroupKind),
        ("orphanedResources", Object(("warn", Flag), ("ignore", ListOf(Object(("group", Text), ("kind", Text), ("name", Text)))))),
        ("roles", ListOf(Object(("name", Text), ("description", Text), ("policies", ListOf(Text)), ("groups", ListOf(Text)), ("jwtTokens", Any)))),
        ("syncWindows", ListOf(Any)),
        ("signatureKeys", ListOf(Object(("keyID", Text)))),
        ("permitOnlyProjectScopedClusters", Flag),
        // AppProjectSpec.SourceIntegrity, argo-cd v3.5.0 (types.go; its fields in source_integrity.go), which Argo CD checks itself.
        ("sourceIntegrity", Any));

    public static ObjectSchema AppProject { get; } = Object(
        ("apiVersion", Text), ("kind", Text),
        ("metadata", Object(("name", Text), ("namespace", Text), ("labels", StringMap), ("annotations", StringMap), ("finalizers", ListOf(Text))).Requires("name")),
        ("spec", Spec), ("status", Any))
        .Requires("metadata", "spec");
}
