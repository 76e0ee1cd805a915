using CloudAge.Tools.Validation.Schemas;
using CloudAge.Tools.Validation.Yaml;

namespace CloudAge.Tools.Validation.Checks;

/// <summary>
/// Everything Argo CD deploys lives in one namespace: the Application's destination namespace, or else the one
/// Namespace the manifests define. Explicit namespaces keep `kubectl apply` and Argo CD landing in the same place.
/// </summary>
internal static class NamespaceCheck
{
    // Cluster-scoped kinds carry no namespace; KubernetesClient's models do not record scope, so these are listed.
    private static readonly HashSet<string> ClusterScoped = new(StringComparer.Ordinal)
    {
        "Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume", "StorageClass",
        "PriorityClass", "IngressClass", "RuntimeClass", "Node", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
        "APIService", "CSIDriver", "VolumeAttachment", "Kustomization",
    };

    public static bool IsClusterScoped(string kind) => ClusterScoped.Contains(kind);

    public static void Run(CheckContext context)
    {
        var application = context.OfKind(ArgoCdApplicationSchema.Kind).FirstOrDefault();
        var expected = application?.Root.At("spec", "destination", "namespace").Text()
            ?? (context.OfKind("Namespace").Select(n => n.Name).Distinct().ToList() is [var only] ? only : null);
        if (expected is null)
        {
            return;
        }

        var source = application is null ? "the Namespace manifest" : $"Argo CD Application {application.Name}'s destination";
        // A kustomization's namespace field decides for everything it lists: report it there, once.
        foreach (var kustomization in context.Documents.Select(d => d.NamespaceSetBy).OfType<ManifestDocument>().Distinct())
        {
            var ns = kustomization.Root.At("namespace");
            if (ns.Text() != expected)
            {
                context.Findings.Add(kustomization.File, ns!, RuleIds.NamespaceConsistent,
                    $"{kustomization.File} puts what it lists in namespace {ns.Text()} (kustomize's namespace field overrides metadata.namespace); set namespace: {expected}, the namespace of {source}");
            }
        }

        // Applications and AppProjects live in Argo CD's own namespace, not the one they deploy to.
        foreach (var document in context.Documents.Where(d => d.Kind is not (ArgoCdApplicationSchema.Kind or ArgoCdAppProjectSchema.Kind) && d.NamespaceSetBy is null))
        {
            if (document.Kind == "Namespace" && document.Name != expected)
            {
                context.Findings.Add(document.File, document.Root.Nearest("metadata", "name"), RuleIds.NamespaceConsistent,
                    $"Namespace {document.Name} differs from {expected}, the namespace of {source}");
            }
            else if (!ClusterScoped.Contains(document.Kind) && document.Namespace != expected)
            {
                context.Findings.Add(document.File, document.Root.Nearest("metadata", "namespace"), RuleIds.NamespaceConsistent,
                    $"{document.Describe()} has namespace {document.Namespace ?? "(not set)"}; set metadata.namespace: {expected}, the namespace of {source}");
            }
        }
    }
}
