using CloudAge.Tools.Validation.Yaml;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Validation.Checks;

/// <summary>Per-container policy: CPU and memory requests and limits, and an image pinned to a tag or digest as kustomize builds it.</summary>
internal static class ContainerPolicyChecks
{
    private static readonly (string Section, string Resource)[] RequiredResources =
        [("requests", "cpu"), ("requests", "memory"), ("limits", "cpu"), ("limits", "memory")];

    public static void Run(CheckContext context)
    {
        foreach (var workload in context.Workloads)
        {
            foreach (var container in workload.AllContainers)
            {
                var name = container.At("name").Text();
                var file = workload.Document.File;
                // A pod-level value (spec.resources, KEP-2837: beta and on by default since Kubernetes 1.34) is what the
                // scheduler and the pod's cgroup use for every container that sets none (kubernetes.io/docs/tasks/
                // configure-pod-container/assign-pod-level-resources), so it stands for the container's.
                var missing = RequiredResources
                    .Where(r => container.At("resources", r.Section, r.Resource) is null && workload.PodSpec.At("resources", r.Section, r.Resource) is null)
                    .Select(r => $"{r.Section}.{r.Resource}").ToList();
                if (missing.Count > 0)
                {
                    context.Findings.Add(file, container.Nearest("resources"), RuleIds.ContainerResources,
                        $"container {name} in {workload.Document.Describe()} sets no resources.{string.Join(", resources.", missing)}; the scheduler and the node need both requests and limits (set them on the container, or for the whole pod in spec.resources)");
                }

                if (container.At("image") is null)
                {
                    context.Findings.Add(file, container, RuleIds.NoLatestTag, $"container {name} has no image");
                }
            }

            CheckImages(context, workload);
        }
    }

    /// <summary>
    /// Judges each image as <c>kustomize build</c> emits it (<see cref="KustomizeImages"/>), for every build that reaches
    /// the workload, and reports at what decides the tag: the manifest's image, or the kustomization's newTag, digest or
    /// tagSuffix. A manifest no kustomization lists is applied as written.
    /// </summary>
    private static void CheckImages(CheckContext context, Workload workload)
    {
        var document = workload.Document;
        var chains = context.Kustomize.Chains(document);
        var reported = new HashSet<(string, long, long, string)>();
        foreach (var (what, node, passes) in ImageFields(workload))
        {
            if (node.Text() is not { } reference)
            {
                continue;
            }

            var builds = chains.Count == 0
                ? [(Build: (string?)null, Result: new KustomizeImages.Built(reference, document.File, node, TagFromManifest: true))]
                : chains.Select(chain => (Build: (string?)$"kustomize build {Path.GetDirectoryName(chain[^1].File)?.Replace('\\', '/')}",
                    Result: KustomizeImages.Build(reference, document.File, node, passes, chain)));
            foreach (var (build, built) in builds)
            {
                if (ImageTagProblem(built.Image) is not { } problem)
                {
                    continue;
                }

                var message = built.TagFromManifest
                    ? $"image {reference} of {what} in {document.Describe()} {problem}" + (built.Image == reference ? "" : $" ({build} makes it {built.Image})") +
                      "; pin a version tag (BumpTag writes it) or a digest"
                    : $"{build} gives {what} in {document.Describe()} ({document.File}) the image {built.Image}, which {problem}; set newTag to a version, or digest, in this images entry";
                if (reported.Add((built.File, built.DecidedBy.Start.Line, built.DecidedBy.Start.Column, message)))
                {
                    context.Findings.Add(built.File, built.DecidedBy, RuleIds.NoLatestTag, message);
                }
            }
        }
    }

    /// <summary>
    /// The image fields of a pod, with how many times kustomize's image transformer updates each (see
    /// <see cref="KustomizeImages.Build"/>): containers and init containers twice, except under a CronJob's jobTemplate,
    /// which only LegacyFilter reaches; image volumes once, and a CronJob's not at all.
    /// </summary>
    private static IEnumerable<(string What, YamlNode Image, int Passes)> ImageFields(Workload workload)
    {
        var cronJob = workload.Document.Kind == "CronJob";
        foreach (var container in workload.Containers)
        {
            if (container.At("image") is { } image)
                yield return ($"container {container.At("name").Text()}", image, cronJob ? 1 : 2);
        }

        foreach (var container in workload.PodSpec.At("initContainers").Items())
        {
            if (container.At("image") is { } image)
                yield return ($"init container {container.At("name").Text()}", image, cronJob ? 1 : 2);
        }

        foreach (var volume in workload.PodSpec.At("volumes").Items())
        {
            if (volume.At("image", "reference") is { } reference)
                yield return ($"image volume {volume.At("name").Text()}", reference, cronJob ? 0 : 1);
        }
    }

    internal static string? ImageTagProblem(string reference)
    {
        if (reference.Contains('@', StringComparison.Ordinal))
        {
            return null;
        }

        var lastSlash = reference.LastIndexOf('/');
        var colon = reference.LastIndexOf(':');
        if (colon <= lastSlash)
        {
            return "has no tag, so it means latest";
        }

        return reference[(colon + 1)..] == "latest" ? "uses the tag latest, which moves under a running Deployment" : null;
    }
}
