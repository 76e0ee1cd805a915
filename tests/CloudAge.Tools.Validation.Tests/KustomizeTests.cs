using CloudAge.Tools.Validation.Tests.Fixtures;

namespace CloudAge.Tools.Validation.Tests;

/// <summary>
/// kustomization.yaml read as kustomize reads it (api/types/kustomization.go): apiVersion and kind may be left out, the
/// deprecated fields still load, and the YAML goes through sigs.k8s.io/yaml before strict JSON decoding, so a number
/// in a string field is an error ("invalid Kustomization: json: cannot unmarshal number into ... of type string").
/// </summary>
public sealed class KustomizeTests
{
    private const string Kustomization = "k8s/kustomization.yaml";
    private const string TypeMeta = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n";

    [Fact]
    public void A_kustomization_without_api_version_and_kind_is_read_as_kustomize_reads_it()
    {
        using var repository = new RepositoryCopy().Replace(Kustomization, TypeMeta, "");

        Assert.Empty(repository.Validate());

        // Still a kustomization: its resources are checked.
        repository.Replace(Kustomization, "  - service.yaml", "  - services.yaml");
        var finding = Assert.Single(repository.Validate(), f => f.File == Kustomization);
        Assert.Equal((RuleIds.KustomizeResources, repository.LineOf(Kustomization, "services.yaml")), (finding.RuleId, finding.Line));
    }

    [Theory]
    [InlineData("bases: []\n")]
    [InlineData("images:\n  - name: example.com/tool\n    newTag: \"1.0\"\n    tagSuffix: -debug\n")]
    [InlineData("imageTags:\n  - name: example.com/tool\n    newTag: \"1.0\"\n")]
    [InlineData("configurations: []\nvars: []\n")]
    [InlineData("replicas:\n  - name: worker\n    count: 3\n")]
    public void A_field_kustomize_still_reads_passes(string fields)
    {
        using var repository = new RepositoryCopy().Replace(Kustomization, "resources:", fields + "resources:");

        Assert.Empty(repository.Validate());
    }

    [Theory]
    [InlineData("images:\n  - name: example.com/tool\n    newTag: 1.0\n", "newTag: 1.0", "images[0].newTag: expected a string, found 1.0, a number", "quote it: newTag: \"1.0\"")]
    [InlineData("images:\n  - name: example.com/tool\n    newTag: 20240131\n", "newTag: 20240131", "found 20240131, a number", "quote it: newTag: \"20240131\"")]
    [InlineData("commonAnnotations:\n  reviewed: yes\n", "reviewed: yes", "found yes, a boolean (YAML 1.1", "quote it: reviewed: \"yes\"")]
    [InlineData("replicas:\n  - name: worker\n    count: \"3\"\n", "count: \"3\"", "found \"3\", a string (it is quoted)", "write it without quotes: count: 3")]
    public void A_value_kustomize_decodes_as_another_type_is_reported_with_the_fix(string fields, string marker, string found, string fix)
    {
        using var repository = new RepositoryCopy().Replace(Kustomization, "resources:", fields + "resources:");

        var finding = Assert.Single(repository.Validate());

        Assert.Equal((Kustomization, repository.LineOf(Kustomization, marker), RuleIds.KustomizeSchema), (finding.File, finding.Line, finding.RuleId));
        Assert.Contains(found, finding.Message, StringComparison.Ordinal);
        Assert.Contains(fix, finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kustomization_namespace_stands_for_the_namespace_of_what_it_lists()
    {
        using var repository = new RepositoryCopy().Replace(Kustomization, "resources:", "namespace: cloudage\nresources:");
        foreach (var file in new[] { "configmap", "deployment", "horizontalpodautoscaler", "networkpolicy", "poddisruptionbudget", "service", "serviceaccount" })
        {
            repository.Replace($"k8s/{file}.yaml", "  namespace: cloudage\n", "");
        }

        Assert.Empty(repository.Validate());
    }

    [Fact]
    public void A_kustomization_namespace_other_than_the_destination_is_reported_once_at_the_kustomization()
    {
        // kustomize overrides metadata.namespace (api/filters/namespace): everything would land in namespace staging.
        using var repository = new RepositoryCopy().Replace(Kustomization, "resources:", "namespace: staging\nresources:");

        var findings = repository.Validate().Where(f => f.RuleId == RuleIds.NamespaceConsistent).ToList();

        var finding = Assert.Single(findings);
        Assert.Equal((Kustomization, repository.LineOf(Kustomization, "namespace: staging")), (finding.File, finding.Line));
        Assert.Contains("set namespace: cloudage", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_overlays_namespace_wins_over_its_bases_however_deep_the_folders()
    {
        // kustomize build k8s/overlays/prod builds the base first, then sets the overlay's namespace over it
        // (api/internal/target/kusttarget.go): everything lands in cloudage, as Argo CD's destination expects.
        using var repository = new RepositoryCopy()
            .Replace(Kustomization, "resources:", "namespace: staging\nresources:")
            .Replace("argocd/application.yaml", "path: k8s", "path: k8s/overlays/prod")
            .Write("k8s/overlays/prod/kustomization.yaml", "namespace: cloudage\nresources:\n  - ../..\n");

        Assert.DoesNotContain(repository.Validate(), f => f.RuleId == RuleIds.NamespaceConsistent);
    }

    [Fact]
    public void Bases_components_and_patch_files_that_do_not_exist_are_reported_and_remote_resources_are_not()
    {
        // kustomize build stops at a missing base, component or patch file as it does at a missing resource; a remote
        // resource it fetches itself (api/internal/git/repospec.go) is nothing to find in this repository.
        var fields = "bases:\n  - ../base-gone\ncomponents:\n  - ../component-gone\npatches:\n  - path: patch-gone.yaml\n" +
            "patchesStrategicMerge:\n  - merge-gone.yaml\n  - |-\n    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: cloudage-config\n";
        using var repository = new RepositoryCopy().Replace(Kustomization, "resources:\n", fields + "resources:\n  - https://github.com/acme/platform//policies?ref=v1.2.0\n" +
            "  - github.com/acme/platform/quotas?ref=v1.2.0\n");

        var findings = repository.Validate().Where(f => f.RuleId == RuleIds.KustomizeResources).Select(f => f.Message).ToList();

        Assert.Equal(4, findings.Count);
        Assert.Contains(findings, m => m.StartsWith("base \"../base-gone\" does not exist next to k8s/kustomization.yaml, so kustomize build (and Argo CD) fails", StringComparison.Ordinal));
        Assert.Contains(findings, m => m.StartsWith("component \"../component-gone\"", StringComparison.Ordinal));
        Assert.Contains(findings, m => m.StartsWith("patch \"patch-gone.yaml\"", StringComparison.Ordinal));
        Assert.Contains(findings, m => m.StartsWith("patch \"merge-gone.yaml\"", StringComparison.Ordinal));
    }
}
