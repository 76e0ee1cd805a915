using System.Text;
using CloudAge.Common.Yaml;
using YamlDotNet.Core;

namespace CloudAge.Tools.GitOps.ImageBump;

/// <summary>The replacements for one file, collected as (start, end, text) spans and applied back to front.</summary>
internal sealed class SplicePlan(string file, string text, ImageTarget target)
{
    private readonly SortedDictionary<int, (int End, string Text)> _splices = [];
    private readonly List<ImageChange> _changes = [];
    private readonly HashSet<int> _editedImages = [];
    private readonly string _newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";

    public IReadOnlyList<ImageChange> Changes => _changes;

    public int Matches { get; private set; }

    public void AddContainerList(YamlSequence containers)
    {
        var ours = containers.Items.Select(YamlTree.Resolve).OfType<YamlMapping>()
            .Where(c => c["image"] is YamlScalar s && IsOurs(s.Value)).ToList();
        // The container is chosen by the name the manifests give it, then by repository: a sidecar that happens to use the
        // same repository (a debug or migration variant) is left alone.
        var named = ours.Where(c => c["name"] is YamlScalar { } n && n.Value == target.ContainerName).ToList();
        var images = (named.Count == 1 ? named : ours).Select(c => (YamlScalar)c["image"]!).ToList();
        if (images.Count > 1)
            throw new ManifestEditException(
                $"{file}: lines {string.Join(" and ", images.Select(i => i.Line))} are two containers of one pod spec using {target.Repository}; " +
                $"which one to deploy would be a guess. Name the one to deploy '{target.ContainerName}', or give the other a different repository.");
        foreach (var image in images)
            SetImage(image);
    }

    public void AddKustomizeEntry(YamlMapping entry)
    {
        if (entry["newName"] is YamlScalar newName ? newName.Value != target.Repository : entry["name"] is not YamlScalar { } name || name.Value != target.Repository)
            return;
        Matches++;
        var tag = entry["newTag"] as YamlScalar;
        var digest = entry["digest"] as YamlScalar;
        var mode = target.EffectiveMode;
        if (mode == ImageReferenceMode.Tag && digest is not null)
            throw new ManifestEditException(
                $"{file}:{entry.Line}: the kustomization images entry for {target.Repository} has a digest, which would override the new tag. " +
                "Pass the image digest, or remove the digest line.");
        var old = target.Repository + (tag is null ? "" : ":" + tag.Value) + (digest is null ? "" : "@" + digest.Value);
        var setTag = mode != ImageReferenceMode.Digest || tag is not null;
        var @new = target.Repository + (setTag ? ":" + target.Tag : "") + (mode == ImageReferenceMode.Tag ? "" : "@" + target.Digest);
        if (old == @new)
            return;
        var inserts = new List<(string Key, string Value)>();
        if (setTag)
            SetOrInsert(tag, "newTag", target.Tag);
        if (mode != ImageReferenceMode.Tag)
            SetOrInsert(digest, "digest", target.Digest!);
        if (inserts.Count > 0)
            Insert(entry, inserts);
        _changes.Add(new ImageChange(file, (tag ?? digest)?.Line ?? entry.Line, old, @new));

        void SetOrInsert(YamlScalar? current, string key, string value)
        {
            if (current is null)
                inserts.Add((key, value));
            else if (current.Value != value)
                Splice(current.Start, current.End, current.Value.Length == 0 && current.Start == current.End ? " " + Render(value, ScalarStyle.Plain) : Render(value, current.Style));
        }
    }

    public string Apply()
    {
        var result = new StringBuilder(text);
        foreach (var (start, (end, replacement)) in _splices.Reverse())
            result.Remove(start, end - start).Insert(start, replacement);
        return result.ToString();
    }

    private bool IsOurs(string image) =>
        image.StartsWith(target.Repository, StringComparison.Ordinal)
        && (image.Length == target.Repository.Length || image[target.Repository.Length] is ':' or '@');

    private void SetImage(YamlScalar image)
    {
        Matches++;
        var replacement = target.Reference;
        // An alias shared by two pod specs resolves to the same anchored scalar: edit it once.
        var current = image.Style is ScalarStyle.Literal or ScalarStyle.Folded ? image.Value.TrimEnd('\n', '\r') : image.Value;
        if (current == replacement || !_editedImages.Add(image.Start))
            return;
        if (image.Style is ScalarStyle.Literal or ScalarStyle.Folded)
        {
            SetBlockImage(image);
            return;
        }
        var quote = image.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted ? 1 : 0;
        var inner = text[(image.Start + quote)..(image.End - quote)];
        if (inner == image.Value)
            Splice(image.Start + quote + target.Repository.Length, image.End - quote, target.Suffix);
        else
            Splice(image.Start, image.End, Render(replacement, image.Style));
        _changes.Add(new ImageChange(file, image.Line, image.Value, replacement));
    }

    /// <summary>
    /// A block scalar (<c>|</c>, <c>&gt;</c>, with or without a chomping indicator <c>-</c>/<c>+</c>): the reference sits on
    /// its own content line; only the tag/digest after the repository is replaced there, so the header, the indentation and
    /// the trailing line breaks that the chomping indicator governs stay byte for byte.
    /// </summary>
    private void SetBlockImage(YamlScalar image)
    {
        var content = image.Value.TrimEnd('\n', '\r');
        var span = text[image.Start..image.End];
        var at = span.IndexOf(content, StringComparison.Ordinal);
        if (content.Contains('\n', StringComparison.Ordinal) || at < 0)
            throw new ManifestEditException($"{file}:{image.Line}: the image of {target.Repository} is a block scalar spread over several lines; write it on one line.");
        var start = image.Start + at;
        Splice(start + target.Repository.Length, start + content.Length, target.Suffix);
        _changes.Add(new ImageChange(file, image.Line, content, target.Reference));
    }

    private void Insert(YamlMapping entry, List<(string Key, string Value)> inserts)
    {
        if (entry.Pairs[^1].Value is not YamlScalar last)
            throw new ManifestEditException($"{file}:{entry.Line}: cannot add {inserts[0].Key} to the images entry for {target.Repository}; add the key by hand once.");
        if (entry.Flow)
        {
            Splice(last.End, last.End, string.Concat(inserts.Select(i => $", {i.Key}: {Render(i.Value, ScalarStyle.Plain)}")));
            return;
        }
        // A new key goes on its own line after the entry's last one, indented like the entry's keys.
        var indent = new string(' ', ((YamlScalar)entry.Pairs[^1].Key).Column - 1);
        var lineEnd = text.IndexOf('\n', last.End);
        var at = lineEnd < 0 ? text.Length : lineEnd > 0 && text[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
        Splice(at, at, string.Concat(inserts.Select(i => $"{_newline}{indent}{i.Key}: {Render(i.Value, ScalarStyle.Plain)}")));
    }

    private void Splice(int start, int end, string replacement)
    {
        if (_splices.TryGetValue(start, out var existing))
            replacement = existing.Text + replacement;
        _splices[start] = (end, replacement);
    }

    private static string Render(string value, ScalarStyle style) => style switch
    {
        ScalarStyle.SingleQuoted => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'",
        ScalarStyle.DoubleQuoted => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
        // A plain 1.20, 0x1F, 1234567 or y would be read back as a number or boolean (kustomize reads its file as go-yaml
        // v2 does) and refused where a string is needed; such a tag is quoted.
        _ => GoYamlScalar.Resolve(value) is JsonScalar.String ? value : Render(value, ScalarStyle.DoubleQuoted),
    };
}
