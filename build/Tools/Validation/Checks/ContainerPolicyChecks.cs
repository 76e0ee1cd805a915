using CloudAge.Tools.Validation.Yaml;

namespace CloudAge.Tools.Validation.Checks;

/// <summary>Per-container policy: CPU and memory requests and limits, and an image pinned to a tag or digest.</summary>
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
                var missing = RequiredResources.Where(r => container.At("resources", r.Section, r.Resource) is null)
                    .Select(r => $"{r.Section}.{r.Resource}").ToList();
                if (missing.Count > 0)
                {
                    context.Findings.Add(file, container.Nearest("resources"), RuleIds.ContainerResources,
                        $"container {name} in {workload.Document.Describe()} sets no resources.{string.Join(", resources.", missing)}; the scheduler and the node need both requests and limits");
                }

                var image = container.At("image");
                if (image.Text() is { } reference && ImageTagProblem(reference) is { } problem)
                {
                    context.Findings.Add(file, image!, RuleIds.NoLatestTag,
                        $"image {reference} of container {name} {problem}; pin a version tag (BumpTag writes it) or a digest");
                }
                else if (image is null)
                {
                    context.Findings.Add(file, container, RuleIds.NoLatestTag, $"container {name} has no image");
                }
            }
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
