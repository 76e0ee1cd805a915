using CloudAge.Tools.Validation.Yaml;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Validation.Checks;

/// <summary>A document that runs pods, with its pod template located by kind.</summary>
internal sealed record Workload(ManifestDocument Document, YamlNode PodSpec, YamlNode? PodLabels)
{
    public static IReadOnlyList<Workload> Find(IEnumerable<ManifestDocument> documents) =>
        documents.Select(From).OfType<Workload>().ToList();

    public IEnumerable<YamlNode> Containers => PodSpec.At("containers").Items();

    public IEnumerable<YamlNode> AllContainers => Containers.Concat(PodSpec.At("initContainers").Items());

    /// <summary>Every container with what it is, ephemeral ones included: the set the Pod Security Standards check.</summary>
    public IEnumerable<(string What, YamlNode Container)> SecurityContainers =>
        Containers.Select(c => ("container", c))
            .Concat(PodSpec.At("initContainers").Items().Select(c => ("init container", c)))
            .Concat(PodSpec.At("ephemeralContainers").Items().Select(c => ("ephemeral container", c)));

    /// <summary>The pod template's metadata (the Pod's own for kind Pod), where AppArmor annotations live.</summary>
    public YamlNode? PodMetadata { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; } =
        PodLabels.Entries().ToDictionary(e => e.Key, e => e.Value.Text() ?? "", StringComparer.Ordinal);

    private static Workload? From(ManifestDocument document)
    {
        var root = document.Root;
        var template = document.Kind switch
        {
            "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet" or "Job" => root.At("spec", "template"),
            "CronJob" => root.At("spec", "jobTemplate", "spec", "template"),
            "Pod" => root,
            _ => null,
        };
        return template?.At("spec") is YamlMappingNode spec
            ? new Workload(document, spec, template.At("metadata", "labels")) { PodMetadata = template.At("metadata") }
            : null;
    }
}
