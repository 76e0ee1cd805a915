using CloudAge.Tools.Validation.Files;
using CloudAge.Tools.Validation.Kubernetes;
using CloudAge.Tools.Validation.Schemas;
using CloudAge.Tools.Validation.Yaml;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Validation;

/// <summary>Reads every manifest under the given folders and types each document against the schema of its kind.</summary>
internal static class DocumentLoader
{
    /// <param name="unreadable">Set when a YAML file could not be parsed, so cross-document rules would see only part of the picture.</param>
    public static IReadOnlyList<ManifestDocument> Load(RepositoryFiles files, IEnumerable<string> folders, FindingList findings, out bool unreadable)
    {
        unreadable = false;
        var documents = new List<ManifestDocument>();
        foreach (var (fullPath, file) in files.Walk(folders))
        {
            if (Path.GetExtension(file) is ".yaml" or ".yml")
            {
                // Each document is typed on the thread pool while the parser goes on with the next one: parsing and
                // typing cost about the same, so on two cores this halves the time of a large file.
                var typing = new List<Task<(ManifestDocument? Document, FindingList Findings)>>();
                var read = YamlFileReader.Read(fullPath, file, findings, source => typing.Add(Task.Run(() =>
                {
                    var local = new FindingList();
                    return (Type(source, local), local);
                })));
                foreach (var task in typing)
                {
                    var (document, local) = task.GetAwaiter().GetResult();
                    if (read && document is not null)
                    {
                        documents.Add(document);
                    }

                    if (read)
                    {
                        findings.AddRange(local);
                    }
                }

                unreadable |= !read && findings.Items[^1].RuleId != RuleIds.FileEmpty;
            }
            else if (LooksBinary(fullPath))
            {
                findings.Add(file, 1, 1, RuleIds.FileNotText, "is a binary file in a manifest folder; Argo CD reads this folder, keep only YAML manifests here");
            }
        }

        return documents;
    }

    private static ManifestDocument? Type(YamlDocumentSource source, FindingList findings)
    {
        var file = source.File;
        if (source.Root is YamlScalarNode { Value: null or "" })
        {
            findings.Add(file, source.Start, RuleIds.DocumentEmpty, "this document is empty (two --- separators with nothing between, or a trailing ---); remove the separator");
            return null;
        }

        if (source.Root is not YamlMappingNode root)
        {
            findings.Add(file, source.Root, RuleIds.ApiVersionKind, "a manifest must be a mapping with apiVersion and kind, but this document is not a mapping");
            return null;
        }

        var apiVersion = root.At("apiVersion").Text();
        var kind = root.At("kind").Text();
        if (KustomizationSchema.IsKustomizationFile(file) && string.IsNullOrEmpty(kind) && string.IsNullOrEmpty(apiVersion))
        {
            // kustomize takes a kustomization file without apiVersion and kind (api/internal/target/kusttarget.go Load,
            // then api/types/kustomization.go FixKustomization fills both in), and so does Argo CD, which runs it.
            (apiVersion, kind) = (KustomizationSchema.ApiVersion, KustomizationSchema.Kind);
        }

        if (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind))
        {
            var missing = string.Join(" and ", new[] { ("apiVersion", apiVersion), ("kind", kind) }.Where(p => string.IsNullOrEmpty(p.Item2)).Select(p => p.Item1));
            findings.Add(file, root, RuleIds.ApiVersionKind, $"this document has no {missing}, so no tool can tell what it is");
            return null;
        }

        var document = new ManifestDocument(file, root, apiVersion, kind);
        if (apiVersion == ArgoCdApplicationSchema.ApiVersion && kind == ArgoCdApplicationSchema.Kind)
        {
            SchemaCheck.Run(document, ArgoCdApplicationSchema.Application, RuleIds.ArgoCdSchema, findings);
        }
        else if (apiVersion == ArgoCdApplicationSchema.ApiVersion && kind == ArgoCdAppProjectSchema.Kind)
        {
            SchemaCheck.Run(document, ArgoCdAppProjectSchema.AppProject, RuleIds.ArgoCdSchema, findings);
        }
        else if (apiVersion == KustomizationSchema.ApiVersion && kind == KustomizationSchema.Kind)
        {
            SchemaCheck.Run(document, KustomizationSchema.Kustomization, RuleIds.KustomizeSchema, findings);
        }
        else if (KubernetesTypes.TryGetStrictDeserializer(apiVersion, kind, out var deserialize))
        {
            StrictSchemaCheck.Run(document, source.Events, deserialize, findings);
        }
        else
        {
            var hint = KubernetesTypes.IsKnownApiVersion(apiVersion) ? $"apiVersion {apiVersion} has no kind {kind}" : $"apiVersion {apiVersion} is not a Kubernetes API this validator knows";
            findings.Add(file, root.Nearest("kind"), RuleIds.UnknownKind, $"no schema for {apiVersion} {kind}: {hint} (kubectl would answer \"no matches for kind\")");
        }

        return document;
    }

    private static bool LooksBinary(string fullPath)
    {
        Span<byte> head = stackalloc byte[8000];
        using var stream = File.OpenRead(fullPath);
        var read = stream.Read(head);
        return head[..read].Contains((byte)0);
    }
}
