using CloudAge.Tools.GitOps.ImageBump;
using CloudAge.Tools.GitOps.Tests.Fixtures;
using static CloudAge.Tools.GitOps.Tests.Fixtures.GitManifestCorpus;

namespace CloudAge.Tools.GitOps.Tests.Bump;

public sealed class ImageEditorTests
{
    private static readonly ImageTarget Target = new(Repository, Tag, Digest);

    [Theory]
    [MemberData(nameof(GitManifestCorpus.Names), MemberType = typeof(GitManifestCorpus))]
    public void Edit_changes_only_the_image_value_byte_for_byte(string name)
    {
        var corpusCase = Cases[name];

        var edit = ImageEditor.Edit(corpusCase.File, corpusCase.Text, Target);

        Assert.Equal(corpusCase.Expected(), edit.NewText);
        Assert.NotEmpty(edit.Changes);
        Assert.All(edit.Changes, c => Assert.Equal(NewReference, c.NewReference));
    }

    [Theory]
    [MemberData(nameof(GitManifestCorpus.Names), MemberType = typeof(GitManifestCorpus))]
    public void Edit_of_an_already_edited_file_changes_nothing(string name)
    {
        var once = ImageEditor.Edit(Cases[name].File, Cases[name].Text, Target).NewText;

        var twice = ImageEditor.Edit(Cases[name].File, once, Target);

        Assert.Empty(twice.Changes);
        Assert.Equal(once, twice.NewText);
        Assert.True(twice.Matches > 0);
    }

    [Theory]
    [InlineData("comments, blank lines, trailing spaces, a sidecar")]
    [InlineData("flow style")]
    [InlineData("double quotes and a comment")]
    [InlineData("single quotes and an old digest")]
    [InlineData("literal block scalar with strip chomping")]
    [InlineData("folded block scalar with keep chomping and a comment")]
    [InlineData("literal block scalar, clip chomping, at the end of the file")]
    [InlineData("flow mapping with single-quoted image inside a block list")]
    [InlineData("a sidecar of the same repository is left alone; the container named cloudage is edited")]
    [InlineData("CRLF line endings and a BOM")]
    public void Without_an_image_repository_the_container_named_cloudage_is_found_by_parsing_and_edited_byte_exact(string name)
    {
        var corpusCase = Cases[name];
        var files = new Dictionary<string, string> { [corpusCase.File] = corpusCase.Text, ["k8s/service.yaml"] = "kind: Service\nmetadata: {name: cloudage}\n" };

        var repository = ImageEditor.FindRepository(files, "cloudage", "cloudage");
        var edit = ImageEditor.EditAll(files, new ImageTarget(repository, Tag, Digest)).Single(e => e.File == corpusCase.File);

        Assert.Equal(Repository, repository);
        Assert.Equal(corpusCase.Expected(), edit.NewText);
    }

    [Fact]
    public void Without_a_container_named_cloudage_the_one_image_of_the_repository_is_found()
    {
        var files = new Dictionary<string, string>
        {
            ["k8s/deployment.yaml"] = $"kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: >-\n          {Repository}:1.2.3\n      - name: proxy\n        image: nginx:1.27\n",
        };

        Assert.Equal(Repository, ImageEditor.FindRepository(files, "cloudage", "cloudage"));
        var error = Assert.Throws<ManifestEditException>(() => ImageEditor.FindRepository(files, "cloudage", "other"));
        Assert.Contains("--image-repository", error.Message);
        Assert.Contains("k8s/deployment.yaml:7 web", error.Message);
    }

    [Fact]
    public void Edit_reports_file_line_old_and_new_reference()
    {
        var corpusCase = Cases["several documents, an initContainer and a CronJob"];

        var edit = ImageEditor.Edit(corpusCase.File, corpusCase.Text, Target);

        Assert.Equal(
            [
                new ImageChange("k8s/all.yaml", 14, Repository + ":sha-0000000", NewReference),
                new ImageChange("k8s/all.yaml", 17, Repository + ":sha-0000000", NewReference),
                new ImageChange("k8s/all.yaml", 29, Repository + ":sha-1111111", NewReference),
            ],
            edit.Changes.OrderBy(c => c.Line));
    }

    [Fact]
    public void Edit_an_aliased_image_counts_both_uses_but_changes_the_anchor_once()
    {
        var corpusCase = Cases["an anchor is edited, its aliases are not"];

        var edit = ImageEditor.Edit(corpusCase.File, corpusCase.Text, Target);

        Assert.Single(edit.Changes);
        Assert.Equal(2, edit.Matches);
    }

    [Theory]
    [InlineData(ImageReferenceMode.Tag, Repository + ":" + Tag)]
    [InlineData(ImageReferenceMode.Digest, Repository + "@" + Digest)]
    [InlineData(ImageReferenceMode.TagAndDigest, Repository + ":" + Tag + "@" + Digest)]
    public void Edit_writes_the_reference_in_the_chosen_mode(ImageReferenceMode mode, string expected)
    {
        var text = $"spec:\n  containers:\n  - image: {Repository}:old # keep\n";

        var edit = ImageEditor.Edit("k8s/d.yaml", text, Target with { Mode = mode });

        Assert.Equal($"spec:\n  containers:\n  - image: {expected} # keep\n", edit.NewText);
    }

    [Fact]
    public void Mode_defaults_to_tag_without_a_digest_and_to_tag_at_digest_with_one()
    {
        Assert.Equal(ImageReferenceMode.Tag, new ImageTarget(Repository, Tag).EffectiveMode);
        Assert.Equal(ImageReferenceMode.TagAndDigest, Target.EffectiveMode);
    }

    [Fact]
    public void Kustomization_in_tag_mode_sets_new_tag_and_quotes_a_numeric_one()
    {
        var text = $"images:\n- name: {Repository}\n  newTag: old\n";

        var edit = ImageEditor.Edit("k8s/kustomization.yaml", text, new ImageTarget(Repository, "1.20"));

        Assert.Equal($"images:\n- name: {Repository}\n  newTag: \"1.20\"\n", edit.NewText);
    }

    [Theory]
    [InlineData("1234567")] // a short commit of decimal digits only
    [InlineData("0x1F")]
    [InlineData("0b101")]
    [InlineData("1_000")]
    [InlineData("y")]
    [InlineData("off")]
    public void Kustomization_in_tag_mode_quotes_a_tag_that_go_yaml_would_read_as_a_number_or_boolean(string tag)
    {
        var text = $"images:\n- name: {Repository}\n  newTag: old\n";

        var edit = ImageEditor.Edit("k8s/kustomization.yaml", text, new ImageTarget(Repository, tag));

        Assert.Equal($"images:\n- name: {Repository}\n  newTag: \"{tag}\"\n", edit.NewText);
    }

    [Theory]
    [InlineData("1.2.3")]
    [InlineData("0o")]
    [InlineData("12e4567")]
    [InlineData("yes-please")]
    public void Kustomization_in_tag_mode_leaves_a_tag_that_stays_a_string_plain(string tag)
    {
        var edit = ImageEditor.Edit("k8s/kustomization.yaml", $"images:\n- name: {Repository}\n  newTag: old\n", new ImageTarget(Repository, tag));

        Assert.Equal($"images:\n- name: {Repository}\n  newTag: {tag}\n", edit.NewText);
    }

    [Theory]
    [InlineData("images:\n- name: {0}\n  newTag:\n  newName: {0}\n", "images:\n- name: {0}\n  newTag: sha-abc1234\n  newName: {0}\n")]
    [InlineData("images:\n- name: {0}\n  newTag: # set by BumpTag\n", "images:\n- name: {0}\n  newTag: sha-abc1234 # set by BumpTag\n")]
    [InlineData("images:\n- name: {0}\n  newTag:", "images:\n- name: {0}\n  newTag: sha-abc1234")]
    public void Kustomization_empty_new_tag_is_filled_in_place(string before, string after)
    {
        var edit = ImageEditor.Edit("k8s/kustomization.yaml", string.Format(before, Repository), new ImageTarget(Repository, Tag));

        Assert.Equal(string.Format(after, Repository), edit.NewText);
    }

    [Fact]
    public void Kustomization_entry_with_a_digest_refuses_a_tag_only_update()
    {
        var text = $"images:\n- name: {Repository}\n  newTag: old\n  digest: sha256:{new string('1', 64)}\n";

        var error = Assert.Throws<ManifestEditException>(() => ImageEditor.Edit("k8s/kustomization.yaml", text, new ImageTarget(Repository, Tag)));

        Assert.Contains("k8s/kustomization.yaml:2", error.Message);
        Assert.Contains("digest", error.Message);
    }

    [Fact]
    public void Two_containers_of_one_pod_from_the_repository_are_an_error_naming_file_and_lines()
    {
        var text = $"spec:\n  containers:\n  - name: a\n    image: {Repository}:1\n  - name: b\n    image: {Repository}:2\n";

        var error = Assert.Throws<ManifestEditException>(() => ImageEditor.Edit("k8s/deployment.yaml", text, Target));

        Assert.Contains("k8s/deployment.yaml: lines 4 and 6", error.Message);
    }

    [Fact]
    public void No_reference_anywhere_is_an_error_naming_the_files_searched()
    {
        var files = new Dictionary<string, string>
        {
            ["k8s/deployment.yaml"] = "spec:\n  containers:\n  - image: busybox:1.36\n",
            ["k8s/service.yaml"] = "kind: Service\n",
        };

        var error = Assert.Throws<ManifestEditException>(() => ImageEditor.EditAll(files, Target));

        Assert.Contains(Repository, error.Message);
        Assert.Contains("k8s/deployment.yaml, k8s/service.yaml", error.Message);
    }

    [Fact]
    public void An_image_mentioned_only_in_a_comment_or_env_value_is_not_a_match()
    {
        var text = $"# was {Repository}:1\nspec:\n  containers:\n  - image: busybox\n    env:\n    - {{name: IMAGE, value: {Repository}:1}}\n";

        var edit = ImageEditor.Edit("k8s/d.yaml", text, Target);

        Assert.Equal(0, edit.Matches);
        Assert.Equal(text, edit.NewText);
    }

    [Fact]
    public void Invalid_tag_is_rejected_before_it_reaches_yaml()
    {
        Assert.Throws<CloudAge.Common.Errors.InputException>(() => ImageEditor.Edit("k8s/d.yaml", "x: 1", new ImageTarget(Repository, "v1: evil")));
    }
}
