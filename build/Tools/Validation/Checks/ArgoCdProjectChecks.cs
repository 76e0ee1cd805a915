using CloudAge.Tools.Validation.Yaml;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Validation.Checks;

/// <summary>
/// Argo CD: an Application runs in its own AppProject, which limits source repositories, destinations and kinds
/// (argo-cd docs/user-guide/projects.md; an empty whitelist means no kind, "*" any), and an autoscaled Deployment's
/// spec.replicas is ignored by the Application, or selfHeal fights the autoscaler
/// (docs/user-guide/diffing.md, sync-options.md "Respect ignore differences").
/// </summary>
internal static class ArgoCdProjectChecks
{
    public static void Run(CheckContext context)
    {
        var deployedKinds = context.Documents.Where(d => d.File.StartsWith("k8s/", StringComparison.Ordinal) && d.Kind is not ("Kustomization" or "Secret"))
            .Select(d => (Group: Group(d.ApiVersion), d.Kind, Name: NamespaceCheck.IsClusterScoped(d.Kind) ? d.Name ?? "" : null)).Distinct().ToList();
        foreach (var application in context.OfKind("Application"))
        {
            CheckProject(context, application, deployedKinds);
            CheckIgnoredReplicas(context, application);
        }
    }

    private static void CheckProject(CheckContext context, ManifestDocument application, List<(string Group, string Kind, string? Name)> kinds)
    {
        var spec = application.Root.At("spec");
        var projectNode = spec.At("project");
        var name = projectNode.Text();
        if (name is null or "default")
        {
            context.Findings.Add(application.File, projectNode ?? application.Root.Nearest("spec"), RuleIds.ArgoCdProject,
                $"{application.Describe()} runs in project {name ?? "(none)"}, which allows any repository, cluster and kind; use its own AppProject (argocd/appproject.yaml)");
            return;
        }
        var project = context.OfKind("AppProject").FirstOrDefault(p => p.Name == name);
        if (project is null)
        {
            context.Findings.Add(application.File, projectNode!, RuleIds.ArgoCdProject, $"{application.Describe()} names project {name}, which no AppProject here defines; add it under argocd/");
            return;
        }
        var projectSpec = project.Root.At("spec");
        var repos = projectSpec.At("sourceRepos").Items().Select(r => r.Text()).ToList();
        var repo = spec.At("source", "repoURL").Text();
        if (repos.Contains("*") || !repos.Contains(repo))
        {
            context.Findings.Add(project.File, project.Root.Nearest("spec", "sourceRepos"), RuleIds.ArgoCdProject,
                $"{project.Describe()}'s sourceRepos must list exactly the repository {application.Describe()} uses ({repo}), not \"*\"");
        }
        var destinations = projectSpec.At("destinations").Items().ToList();
        var server = spec.At("destination", "server").Text();
        var ns = spec.At("destination", "namespace").Text();
        if (destinations.Any(d => d.At("namespace").Text() == "*" || d.At("server").Text() == "*")
            || !destinations.Any(d => d.At("server").Text() == server && d.At("namespace").Text() == ns))
        {
            context.Findings.Add(project.File, project.Root.Nearest("spec", "destinations"), RuleIds.ArgoCdProject,
                $"{project.Describe()}'s destinations must name the Application's server {server} and namespace {ns}, without \"*\"");
        }
        var whitelists = projectSpec.At("namespaceResourceWhitelist").Items().Concat(projectSpec.At("clusterResourceWhitelist").Items());
        if (projectSpec.At("namespaceResourceWhitelist") is null || whitelists.Any(k => k.At("kind").Text() == "*" || k.At("group").Text() == "*"))
        {
            context.Findings.Add(project.File, project.Root.Nearest("spec", "namespaceResourceWhitelist"), RuleIds.ArgoCdProject,
                $"{project.Describe()} must list the kinds it deploys in namespaceResourceWhitelist (and clusterResourceWhitelist), without \"*\"");
            return;
        }
        // app_project_types.go IsGroupKindNamePermitted: a cluster-scoped kind is checked only against the cluster lists
        // (by group, kind and name), a namespaced one only against the namespace lists; an empty whitelist allows nothing.
        foreach (var (group, kind, objectName) in kinds)
        {
            var scope = NamespaceCheck.IsClusterScoped(kind) ? "cluster" : "namespace";
            var whitelisted = Lists(projectSpec, $"{scope}ResourceWhitelist", group, kind, objectName);
            var list = whitelisted ? $"{scope}ResourceBlacklist" : $"{scope}ResourceWhitelist";
            if (whitelisted && !Lists(projectSpec, list, group, kind, objectName))
                continue;
            context.Findings.Add(project.File, project.Root.Nearest("spec", list), RuleIds.ArgoCdProject,
                $"{project.Describe()}'s {list} {(whitelisted ? "lists" : "does not list")} {scope}-scoped kind {kind} (group \"{group}\"{(objectName is null ? "" : $", name {objectName}")}), which k8s/ deploys; Argo CD would refuse to sync it");
        }
    }

    // types.go isResourceInList / isNamedResourceInList: path/filepath.Match on kind and group, and on name where a
    // cluster list entry gives one.
    private static bool Lists(YamlNode? projectSpec, string list, string group, string kind, string? name) =>
        projectSpec.At(list).Items().Any(item => Glob.MatchFilepath(item.At("kind").Text() ?? "", kind) && Glob.MatchFilepath(item.At("group").Text() ?? "", group)
            && (name is null || string.IsNullOrEmpty(item.At("name").Text()) || Glob.MatchFilepath(item.At("name").Text()!, name)));

    private static void CheckIgnoredReplicas(CheckContext context, ManifestDocument application)
    {
        var spec = application.Root.At("spec");
        foreach (var deployment in context.OfKind("Deployment").Where(d => AvailabilityChecks.AutoscalerOf(context, d) is not null))
        {
            // diff_normalizer.go ignoreNormalizer.Normalize: group and kind are globs (gobwas) that must match, so a
            // missing group means the core group, never apps; a name or namespace, when given, must be the object's.
            var ignored = spec.At("ignoreDifferences").Items().Any(i =>
                Glob.MatchGobwas(i.At("group").Text() ?? "", "apps") && Glob.MatchGobwas(i.At("kind").Text() ?? "", "Deployment")
                && (string.IsNullOrEmpty(i.At("name").Text()) || i.At("name").Text() == deployment.Name)
                && (string.IsNullOrEmpty(i.At("namespace").Text()) || i.At("namespace").Text() == (deployment.Namespace ?? spec.At("destination", "namespace").Text()))
                && (i.At("jsonPointers").Items().Any(p => p.Text() == "/spec/replicas") || i.At("jqPathExpressions").Items().Any(p => p.Text() == ".spec.replicas")));
            var respected = spec.At("syncPolicy", "syncOptions").Items().Any(o => o.Text() == "RespectIgnoreDifferences=true");
            if (ignored && respected)
                continue;
            var what = !ignored ? "no ignoreDifferences entry for /spec/replicas of Deployment " + deployment.Name : "no syncOption RespectIgnoreDifferences=true";
            context.Findings.Add(application.File, application.Root.Nearest(ignored ? ["spec", "syncPolicy", "syncOptions"] : ["spec", "ignoreDifferences"]), RuleIds.AutoscalerIgnoredByArgoCd,
                $"{application.Describe()} has {what}, while a HorizontalPodAutoscaler scales that Deployment: selfHeal and syncs would reset its replicas");
        }
    }

    private static string Group(string apiVersion) => apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
}
