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

    public IReadOnlyDictionary<string, string> Labels =>
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
        return template?.At("spec") is YamlMappingNode spec ? new Workload(document, spec, template.At("metadata", "labels")) : null;
    }
}
