using CloudAge.Tools.GitOps.ImageBump;
using CloudAge.Tools.GitOps.Tests.Fixtures;
using static CloudAge.Tools.GitOps.Tests.Fixtures.GitManifestCorpus;

namespace CloudAge.Tools.GitOps.Tests.Bump;

public sealed class ManifestDiffTests
{
    [Fact]
    public void Format_prints_changed_and_inserted_lines_as_a_unified_diff_without_context()
    {
        var deployment = Cases["several documents, an initContainer and a CronJob"];
        var kustomization = Cases["kustomization entry gains a digest line in the entry's indentation"];
        var target = new ImageTarget(Repository, Tag, Digest);
        var edits = new[]
        {
            ImageEditor.Edit(deployment.File, deployment.Text, target),
            ImageEditor.Edit(kustomization.File, kustomization.Text, target),
            ImageEditor.Edit("k8s/service.yaml", "kind: Service\n", target),
        };

        var diff = ManifestDiff.Format(edits);

        Assert.Equal(
            $"""
            --- a/k8s/all.yaml
            +++ b/k8s/all.yaml
            @@ -14 +14 @@
            -        image: {Repository}:sha-0000000
            +        image: {NewReference}
            @@ -17 +17 @@
            -        image: {Repository}:sha-0000000
            +        image: {NewReference}
            @@ -29 +29 @@
            -            image: {Repository}:sha-1111111
            +            image: {NewReference}
            --- a/k8s/kustomization.yaml
            +++ b/k8s/kustomization.yaml
            @@ -8 +8,2 @@
            -    newTag: sha-0000000
            +    newTag: {Tag}
            +    digest: {Digest}

            """,
            diff);
    }

    [Fact]
    public void Format_of_unchanged_files_is_empty()
    {
        var edit = new ManifestEdit("k8s/a.yaml", "a: 1\n", "a: 1\n", []);

        Assert.Equal("", ManifestDiff.Format([edit]));
    }
}
