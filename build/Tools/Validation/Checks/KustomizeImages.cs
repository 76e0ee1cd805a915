using System.Text.RegularExpressions;
using CloudAge.Tools.Validation.Yaml;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Validation.Checks;

/// <summary>
/// The image a container gets from <c>kustomize build</c>: kustomize's image tag transformer, ported from
/// sigs.k8s.io/kustomize api/filters/imagetag (updater.go SetImageValue, legacy.go LegacyFilter, imagetag.go Filter),
/// api/internal/image/image.go (IsImageMatched, Split) and api/types/image.go. Each <c>images</c> entry (the deprecated
/// <c>imageTags</c> are appended to them, api/types/kustomization.go FixKustomization) runs over every resource the
/// kustomization builds, in list order, base kustomizations first.
/// </summary>
internal static class KustomizeImages
{
    /// <summary>The image a build ends with, and the node that decided its tag: the manifest's image, or the kustomization field that set it.</summary>
    internal sealed record Built(string Image, string File, YamlNode DecidedBy, bool TagFromManifest);

    /// <summary>
    /// Runs the images entries of <paramref name="chain"/> (inner kustomization first) over one image field.
    /// <paramref name="passes"/> is how often an entry reaches the field: the ImageTagTransformer applies LegacyFilter
    /// (every <c>image</c> under a field named <c>containers</c> or <c>initContainers</c>, at any depth) and then its
    /// field specs (api/internal/konfig/builtinpluginconsts/images.go: spec/containers, spec/initContainers and
    /// spec/volumes[]/image/reference, with or without spec/template in front), so a Deployment's container is updated
    /// twice, a CronJob's once. Only tagSuffix notices: it is appended twice (kustomize issue #4814).
    /// </summary>
    public static Built Build(string image, string file, YamlNode node, int passes, IEnumerable<ManifestDocument> chain)
    {
        var built = new Built(image, file, node, TagFromManifest: true);
        foreach (var kustomization in chain)
        {
            foreach (var entry in kustomization.Root.At("images").Items().Concat(kustomization.Root.At("imageTags").Items()))
            {
                for (var pass = 0; pass < passes; pass++)
                    built = Apply(built, entry, kustomization.File);
            }
        }

        return built;
    }

    /// <summary>updater.go SetImageValue: a new tag or digest replaces both the tag and the digest; a suffix extends the tag.</summary>
    private static Built Apply(Built current, YamlNode entry, string kustomizationFile)
    {
        if (!IsImageMatched(current.Image, entry.At("name").Text() ?? ""))
        {
            return current;
        }

        var (name, tag, digest) = Split(current.Image);
        var newName = Field("newName");
        var newTag = Field("newTag");
        var newDigest = Field("digest");
        var suffix = Field("tagSuffix");
        if (newName is not null)
        {
            name = newName;
        }

        YamlNode? decidedBy = null;
        if (newTag is not null && newDigest is not null)
        {
            (tag, digest, decidedBy) = (newTag, newDigest, entry.At("digest"));
        }
        else if (newTag is not null)
        {
            (tag, digest, decidedBy) = (newTag, "", entry.At("newTag"));
        }
        else if (newDigest is not null)
        {
            (tag, digest, decidedBy) = ("", newDigest, entry.At("digest"));
        }
        else if (suffix is not null)
        {
            (tag, digest, decidedBy) = (tag + suffix, "", entry.At("tagSuffix"));
        }

        var image = name + (tag.Length > 0 ? ":" + tag : "") + (digest.Length > 0 ? "@" + digest : "");
        return decidedBy is null ? current with { Image = image } : new Built(image, kustomizationFile, decidedBy, TagFromManifest: false);

        // kustomize reads these with omitempty: an empty value is no value.
        string? Field(string key) => entry.At(key).Text() is { Length: > 0 } value ? value : null;
    }

    /// <summary>
    /// image.go IsImageMatched: the entry's name is put into a regular expression as it is (so "." matches any
    /// character, and a name that is no valid expression matches nothing), anchored, followed by an optional tag and digest.
    /// </summary>
    internal static bool IsImageMatched(string image, string name)
    {
        try
        {
            return Regex.IsMatch(image, "^" + name + @"(:[a-zA-Z0-9_.{}-]*)?(@[a-zA-Z0-9]+([.+_-][a-zA-Z0-9]+)*:[a-zA-Z0-9_.{}-]*)?\z",
                RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (Exception e) when (e is ArgumentException or RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>image.go Split: name, tag and digest, looking for ':' and '@' only after the first '/' so a registry port is part of the name.</summary>
    internal static (string Name, string Tag, string Digest) Split(string image)
    {
        var slash = image.IndexOf('/', StringComparison.Ordinal);
        var offset = slash > 0 ? slash : 0;
        var search = image[offset..];
        var at = search.IndexOf('@', StringComparison.Ordinal);
        var colon = search.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 && at < 0)
        {
            return (image, "", "");
        }

        if (at >= 0 && (at < colon || colon < 0))
        {
            return (image[..(at + offset)], "", image[(at + offset + 1)..]);
        }

        if (at >= 0)
        {
            return (image[..(colon + offset)], image[(colon + offset + 1)..(at + offset)], image[(at + offset + 1)..]);
        }

        return (image[..(colon + offset)], image[(colon + offset + 1)..], "");
    }
}
