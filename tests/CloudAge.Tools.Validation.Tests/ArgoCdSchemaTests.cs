using CloudAge.Tools.Validation.Tests.Fixtures;

namespace CloudAge.Tools.Validation.Tests;

/// <summary>Fields of Argo CD 3.x (argo-cd pkg/apis/application/v1alpha1/types.go) pass; a misspelling of one does not.</summary>
public sealed class ArgoCdSchemaTests
{
    private const string Application = "argocd/application.yaml";
    private const string Project = "argocd/appproject.yaml";
    private const string KustomizeSource = "    path: k8s\n    kustomize:\n      ignoreMissingComponents: true\n      labelIncludeTemplates: true\n";
    private const string DirectorySource = "    path: k8s\n    directory:\n      include: '*.yaml.sealed'\n      disableExtensionFilter: true\n";
    private const string NamedWhitelistEntry = "    - group: \"\"\n      kind: Namespace\n      name: cloudage\n";
    private const string NamedBlacklistEntry = "    - group: \"\"\n      kind: PersistentVolume\n      name: scratch\n";
    private const string SourceIntegrity = "  sourceIntegrity:\n    git:\n      policies:\n        - repos:\n            - url: https://github.com/your-org/*\n          gpg:\n            mode: head\n            keys:\n              - D56C4FCA57A46444\n";

    /// <summary>File, text to replace, replacement using new fields, the same with one field misspelled, and that misspelling.</summary>
    public static TheoryData<string, string, string, string, string> NewFields() => new()
    {
        // ApplicationSourceKustomize, argo-cd v3.0.0
        { Application, "    path: k8s\n", KustomizeSource, KustomizeSource.Replace("ignoreMissingComponents", "ignoreMissingComponent", StringComparison.Ordinal), "ignoreMissingComponent" },
        { Application, "    path: k8s\n", KustomizeSource, KustomizeSource.Replace("labelIncludeTemplates", "labelsIncludeTemplates", StringComparison.Ordinal), "labelsIncludeTemplates" },
        // ApplicationSource.TagPrefix, argo-cd v3.5.0
        { Application, "    path: k8s\n", "    path: k8s\n    tagPrefix: cloudage/\n", "    path: k8s\n    tagPrefx: cloudage/\n", "tagPrefx" },
        // ApplicationSourceDirectory.DisableExtensionFilter, argo-cd 3.6 (69afa575, argoproj/argo-cd#28571)
        { Application, "    path: k8s\n", DirectorySource, DirectorySource.Replace("disableExtensionFilter", "disableExtensionFiltr", StringComparison.Ordinal), "disableExtensionFiltr" },
        // ClusterResourceRestrictionItem.Name, argo-cd v3.3.0 (whitelist and blacklist)
        // (the repository's project names its namespace already: the row keeps it and misspells it)
        { Project, NamedWhitelistEntry, NamedWhitelistEntry, NamedWhitelistEntry.Replace("name:", "names:", StringComparison.Ordinal), "names:" },
        { Project, "  namespaceResourceWhitelist:\n", "  clusterResourceBlacklist:\n" + NamedBlacklistEntry + "  namespaceResourceWhitelist:\n", "  clusterResourceBlacklist:\n" + NamedBlacklistEntry.Replace("name:", "nme:", StringComparison.Ordinal) + "  namespaceResourceWhitelist:\n", "nme:" },
        // AppProjectSpec.SourceIntegrity, argo-cd v3.5.0
        { Project, "  namespaceResourceWhitelist:\n", SourceIntegrity + "  namespaceResourceWhitelist:\n", SourceIntegrity.Replace("sourceIntegrity", "sourceIntegrty", StringComparison.Ordinal) + "  namespaceResourceWhitelist:\n", "sourceIntegrty" },
    };

    [Theory]
    [MemberData(nameof(NewFields))]
    public void An_argo_cd_3_field_passes_and_its_misspelling_fails(string file, string find, string replacement, string misspelled, string marker)
    {
        using (var repository = new RepositoryCopy().Replace(file, find, replacement))
        {
            Assert.Empty(repository.Validate());
        }

        using (var repository = new RepositoryCopy().Replace(file, find, misspelled))
        {
            var finding = Assert.Single(repository.Validate());

            Assert.Equal((file, repository.LineOf(file, marker), RuleIds.ArgoCdSchema), (finding.File, finding.Line, finding.RuleId));
            Assert.Contains("unknown field", finding.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// kubectl sends the Application as go-yaml v2 reads it, and the API server checks it against the CRD's types
    /// (argo-cd manifests/crds/application-crd.yaml): "spec.source.targetRevision in body must be of type string".
    /// </summary>
    [Theory]
    [InlineData("targetRevision: main", "targetRevision: 1.0", "targetRevision", "found 1.0, a number", "quote it: targetRevision: \"1.0\"")]
    [InlineData("limit: 5", "limit: \"5\"", "limit:", "found \"5\", a string (it is quoted)", "write it without quotes: limit: 5")]
    [InlineData("      - CreateNamespace=true\n", "      - CreateNamespace=true\n      - 42\n", "- 42", "found 42, a number", "quote it: - \"42\"")]
    public void A_value_of_another_json_type_than_the_crd_field_is_reported(string find, string replacement, string marker, string found, string fix)
    {
        using var repository = new RepositoryCopy().Replace(Application, find, replacement);

        var finding = Assert.Single(repository.Validate());

        Assert.Equal((RuleIds.ArgoCdSchema, repository.LineOf(Application, marker)), (finding.RuleId, finding.Line));
        Assert.Contains(found, finding.Message, StringComparison.Ordinal);
        Assert.Contains(fix, finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("selfHeal: true", "selfHeal: yes")]
    [InlineData("targetRevision: main", "targetRevision: \"1.0\"")]
    [InlineData("limit: 5", "limit: ~")]
    public void A_value_kubectl_reads_as_the_crd_field_type_passes(string find, string replacement)
    {
        using var repository = new RepositoryCopy().Replace(Application, find, replacement);

        Assert.Empty(repository.Validate());
    }

    [Fact]
    public void A_name_is_still_refused_in_a_namespace_resource_list()
    {
        // namespaceResourceWhitelist stays []metav1.GroupKind in argo-cd v3.5: only the cluster lists took a name.
        using var repository = new RepositoryCopy().Replace(Project, "      kind: ConfigMap\n", "      kind: ConfigMap\n      name: cloudage-config\n");

        var finding = Assert.Single(repository.Validate());

        Assert.Equal((RuleIds.ArgoCdSchema, repository.LineOf(Project, "name: cloudage-config")), (finding.RuleId, finding.Line));
    }
}
