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

    /// <summary>
    /// The image repository the manifests deploy, found by parsing them (not by scanning lines): the image of the container
    /// named <paramref name="containerName"/>, else the one image whose repository ends with <c>/<paramref name="repositoryName"/></c>.
    /// Flow mappings, quoted and block scalars are read as YAML reads them.
    /// </summary>
    public static string FindRepository(IReadOnlyDictionary<string, string> files, string containerName, string repositoryName)
    {
        ArgumentNullException.ThrowIfNull(files);
        var images = new List<(string File, int Line, string Container, string Image)>();
        foreach (var (file, text) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
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
            foreach (var container in documents.SelectMany(ContainerLists).SelectMany(l => l.Items).Select(YamlTree.Resolve).OfType<YamlMapping>())
            {
                if (container["image"] is YamlScalar image)
                    images.Add((file, image.Line, (container["name"] as YamlScalar)?.Value ?? "", image.Value.Trim()));
            }
        }
        var named = images.Where(i => i.Container == containerName).Select(i => RepositoryOf(i.Image)).Distinct(StringComparer.Ordinal).ToList();
        if (named.Count == 1)
            return named[0];
        var byName = images.Select(i => RepositoryOf(i.Image))
            .Where(r => r == repositoryName || r.EndsWith("/" + repositoryName, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        if (named.Count == 0 && byName.Count == 1)
            return byName[0];
        var found = images.Count == 0 ? "no container image" : string.Join(", ", images.Select(i => $"{i.File}:{i.Line} {i.Container} {i.Image}"));
        throw new ManifestEditException(
            $"Cannot tell which image to deploy: looked for a container named '{containerName}' or an image of repository '{repositoryName}' and found {found}. " +
            $"Pass --image-repository, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/{repositoryName}.");
    }

    /// <summary>The repository of <c>[registry[:port]/]path[:tag][@digest]</c>.</summary>
    public static string RepositoryOf(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        var name = at >= 0 ? image[..at] : image;
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? name[..colon] : name;
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
