namespace CloudAge.Tools.GitOps.ImageBump;

/// <summary>
/// Sets an image repository's tag/digest in Kubernetes manifests and kustomizations by splicing new text into
/// the exact span of the old value, so every other byte of the file stays as the user wrote it.
/// Pure: text in, text and changes out.
/// </summary>
public static class ImageEditor
{
    /// <summary>
    /// Edits every file (relative path to text). Fails when no file references the repository, or when a pod
    /// spec has two containers (in one list) from it.
    /// </summary>
    public static IReadOnlyList<ManifestEdit> EditAll(IReadOnlyDictionary<string, string> files, ImageTarget target)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(target);
        var edits = files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => Edit(f.Key, f.Value, target)).ToList();
        if (edits.All(e => e.Matches == 0))
            throw new ManifestEditException(
                $"No manifest references {target.Repository}: looked for container/initContainer 'image:' values and kustomization 'images:' " +
                $"entries in {(files.Count == 0 ? "no files (is the manifest folder empty?)" : string.Join(", ", files.Keys.Order(StringComparer.Ordinal)))}. " +
                "Check the repository name, or add the image to k8s/deployment.yaml.");
        return edits;
    }

    /// <summary>Edits one file's text. A file that does not mention the repository is returned unchanged with no matches.</summary>
    public static ManifestEdit Edit(string file, string text, ImageTarget target)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(target);
        target.Validate();
        if (!text.Contains(target.Repository, StringComparison.Ordinal))
            return new ManifestEdit(file, text, text, []);

        var bom = text.StartsWith('\uFEFF') ? 1 : 0;
        IReadOnlyList<YamlNode> documents;
        try
        {
            documents = YamlTree.Parse(text[bom..], bom);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new ManifestEditException($"{file}:{e.Start.Line}: cannot parse YAML ({e.Message}); fix the file before deploying.");
        }

        var plan = new SplicePlan(file, text, target);
        foreach (var document in documents)
        {
            foreach (var list in ContainerLists(document))
                plan.AddContainerList(list);
            if (document is YamlMapping root && root["images"] is YamlSequence images && IsKustomization(file, root))
            {
                foreach (var entry in images.Items.Select(YamlTree.Resolve).OfType<YamlMapping>())
                    plan.AddKustomizeEntry(entry);
            }
        }
        return new ManifestEdit(file, text, plan.Apply(), plan.Changes) { Matches = plan.Matches };
    }

    private static readonly string[] ContainerKeys = ["containers", "initContainers", "ephemeralContainers"];

    private static IEnumerable<YamlSequence> ContainerLists(YamlNode node)
    {
        // Aliased content is visited where its anchor is defined, so nothing is found twice.
        switch (node)
        {
            case YamlMapping mapping:
                foreach (var (key, value) in mapping.Pairs)
                {
                    if (key is YamlScalar k && ContainerKeys.Contains(k.Value) && value is YamlSequence list)
                        yield return list;
                    foreach (var inner in ContainerLists(value))
                        yield return inner;
                }
                break;
            case YamlSequence sequence:
                foreach (var inner in sequence.Items.SelectMany(ContainerLists))
                    yield return inner;
                break;
        }
    }

    private static bool IsKustomization(string file, YamlMapping root) =>
        Path.GetFileName(file) is "kustomization.yaml" or "kustomization.yml" or "Kustomization"
        || root["kind"] is YamlScalar { Value: "Kustomization" };
}
