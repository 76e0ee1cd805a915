using CloudAge.Tools.Validation.Tests.Fixtures;

namespace CloudAge.Tools.Validation.Tests;

/// <summary>
/// no-latest-tag judges the image kustomize build emits, not the one written in the manifest: a kustomization's
/// images entries (sigs.k8s.io/kustomize api/filters/imagetag, api/types/image.go) rename and retag the containers
/// and init containers of what it lists, and an overlay's entries apply after its base's.
/// </summary>
public sealed class KustomizeImageTests
{
    private const string Deployment = "k8s/deployment.yaml";
    private const string Kustomization = "k8s/kustomization.yaml";
    private const string Overlay = "k8s/overlays/prod/kustomization.yaml";
    private const string Application = "argocd/application.yaml";
    private const string Image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/cloudage";
    private const string PlaceholderTag = "cloudage:0.0.0-placeholder";

    [Theory]
    [InlineData("    newTag: \"1.2.3\"\n")]
    [InlineData("    digest: sha256:4c1e9a0b7a4e3f2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d\n")]
    [InlineData("    newName: 123456789012.dkr.ecr.us-east-1.amazonaws.com/cloudage-web\n    newTag: \"1.2.3\"\n")]
    public void A_latest_image_that_the_kustomization_pins_is_not_reported(string pin)
    {
        using var repository = new RepositoryCopy()
            .Replace(Deployment, PlaceholderTag, "cloudage:latest")
            .Replace(Kustomization, "resources:", $"images:\n  - name: {Image}\n{pin}resources:");

        Assert.DoesNotContain(repository.Validate(), f => f.RuleId == RuleIds.NoLatestTag);
    }

    [Fact]
    public void A_kustomization_that_sets_new_tag_latest_is_reported_at_that_line()
    {
        using var repository = new RepositoryCopy()
            .Replace(Kustomization, "resources:", $"images:\n  - name: {Image}\n    newTag: latest\nresources:");

        var finding = Assert.Single(repository.Validate(), f => f.RuleId == RuleIds.NoLatestTag);

        Assert.Equal((Kustomization, repository.LineOf(Kustomization, "newTag: latest")), (finding.File, finding.Line));
        Assert.Contains($"{Image}:latest", finding.Message, StringComparison.Ordinal);
        Assert.Contains("container cloudage in Deployment cloudage", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_name_keeps_the_manifests_missing_tag_and_is_reported_at_the_image()
    {
        using var repository = new RepositoryCopy()
            .Replace(Deployment, PlaceholderTag, "cloudage")
            .Replace(Kustomization, "resources:", $"images:\n  - name: {Image}\n    newName: registry.example.com/cloudage\nresources:");

        var finding = Assert.Single(repository.Validate(), f => f.RuleId == RuleIds.NoLatestTag);

        Assert.Equal((Deployment, repository.LineOf(Deployment, "image:")), (finding.File, finding.Line));
        Assert.Contains("registry.example.com/cloudage", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_entry_is_matched_on_the_whole_image_name_so_a_short_name_changes_nothing()
    {
        // IsImageMatched anchors the name at the start: "cloudage" is not "<registry>/cloudage".
        using var repository = new RepositoryCopy()
            .Replace(Deployment, PlaceholderTag, "cloudage:latest")
            .Replace(Kustomization, "resources:", "images:\n  - name: cloudage\n    newTag: \"1.2.3\"\nresources:");

        var finding = Assert.Single(repository.Validate(), f => f.RuleId == RuleIds.NoLatestTag);

        Assert.Equal((Deployment, repository.LineOf(Deployment, "image:")), (finding.File, finding.Line));
    }

    [Fact]
    public void Init_containers_get_the_kustomization_images_too()
    {
        using var repository = new RepositoryCopy()
            .Replace(Deployment, "      containers:\n", $"      initContainers:\n        - name: migrate\n          image: {Image}-migrate\n          resources:\n            requests: {{cpu: 50m, memory: 64Mi}}\n            limits: {{cpu: 100m, memory: 128Mi}}\n          securityContext:\n            allowPrivilegeEscalation: false\n            runAsNonRoot: true\n            capabilities:\n              drop: [ALL]\n      containers:\n");

        var before = Assert.Single(repository.Validate(), f => f.RuleId == RuleIds.NoLatestTag);
        Assert.Equal((Deployment, repository.LineOf(Deployment, "-migrate")), (before.File, before.Line));

        repository.Replace(Kustomization, "resources:", $"images:\n  - name: {Image}-migrate\n    newTag: \"1.2.3\"\nresources:");

        Assert.DoesNotContain(repository.Validate(), f => f.RuleId == RuleIds.NoLatestTag);
    }

    [Fact]
    public void An_overlay_pins_what_its_base_leaves_at_latest()
    {
        using var repository = new RepositoryCopy()
            .Replace(Deployment, PlaceholderTag, "cloudage:latest")
            .Replace(Application, "path: k8s", "path: k8s/overlays/prod")
            .Write(Overlay, $"resources:\n  - ../..\nimages:\n  - name: {Image}\n    newTag: \"2.0.0\"\n");

        Assert.DoesNotContain(repository.Validate(), f => f.RuleId == RuleIds.NoLatestTag);
    }

    [Fact]
    public void A_base_that_argo_cd_deploys_itself_is_judged_without_the_overlay()
    {
        using var repository = new RepositoryCopy()
            .Replace(Deployment, PlaceholderTag, "cloudage:latest")
            .Write(Overlay, $"resources:\n  - ../..\nimages:\n  - name: {Image}\n    newTag: \"2.0.0\"\n");

        var finding = Assert.Single(repository.Validate(), f => f.RuleId == RuleIds.NoLatestTag);

        Assert.Equal((Deployment, repository.LineOf(Deployment, "image:")), (finding.File, finding.Line));
    }

    [Fact]
    public void An_overlay_applies_after_its_base_so_its_latest_wins()
    {
        using var repository = new RepositoryCopy()
            .Replace(Kustomization, "resources:", $"images:\n  - name: {Image}\n    newTag: \"1.2.3\"\nresources:")
            .Replace(Application, "path: k8s", "path: k8s/overlays/prod")
            .Write(Overlay, $"resources:\n  - ../..\nimages:\n  - name: {Image}\n    newTag: latest\n");

        var finding = Assert.Single(repository.Validate(), f => f.RuleId == RuleIds.NoLatestTag);

        Assert.Equal((Overlay, repository.LineOf(Overlay, "newTag: latest")), (finding.File, finding.Line));
        Assert.Contains("kustomize build k8s/overlays/prod", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cron_jobs_containers_are_retagged_too()
    {
        using var repository = new RepositoryCopy()
            .Write("k8s/cronjob.yaml", CronJob($"{Image}:latest"))
            .Replace(Kustomization, "  - networkpolicy.yaml", $"  - networkpolicy.yaml\n  - cronjob.yaml\nimages:\n  - name: {Image}\n    newTag: \"1.2.3\"");

        Assert.DoesNotContain(repository.Validate(), f => f.RuleId == RuleIds.NoLatestTag);
    }

    private static string CronJob(string image) => $"""
        apiVersion: batch/v1
        kind: CronJob
        metadata:
          name: cleanup
          namespace: cloudage
        spec:
          schedule: "0 3 * * *"
          jobTemplate:
            spec:
              template:
                spec:
                  restartPolicy: OnFailure
                  containers:
                    - name: cleanup
                      image: {image}
        """;
}
