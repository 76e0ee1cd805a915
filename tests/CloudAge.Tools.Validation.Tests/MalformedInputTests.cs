using CloudAge.Tools.Validation.Tests.Fixtures;

namespace CloudAge.Tools.Validation.Tests;

public sealed class MalformedInputTests
{
    [Fact]
    public void A_binary_file_in_a_manifest_folder_is_reported_not_parsed()
    {
        using var repository = new RepositoryCopy().WriteBytes("k8s/logo.png", [0x89, 0x50, 0x4E, 0x47, 0x00, 0x00, 0x1A, 0x0A]);

        var finding = Assert.Single(repository.Validate());

        Assert.Equal(("k8s/logo.png", 1, RuleIds.FileNotText), (finding.File, finding.Line, finding.RuleId));
    }

    [Fact]
    public void A_yaml_file_with_invalid_utf8_is_reported_as_not_text()
    {
        using var repository = new RepositoryCopy().WriteBytes("k8s/extra.yaml", [0x61, 0x3A, 0x20, 0xFF, 0xFE, 0x0A]);

        var finding = Assert.Single(repository.Validate());

        Assert.Equal(("k8s/extra.yaml", RuleIds.FileNotText), (finding.File, finding.RuleId));
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("\n\n   \n")]
    public void An_empty_yaml_file_is_reported_as_empty(string text)
    {
        using var repository = new RepositoryCopy().Write("k8s/empty.yaml", text);

        var finding = Assert.Single(repository.Validate());

        Assert.Equal(("k8s/empty.yaml", 1, 1, RuleIds.FileEmpty), (finding.File, finding.Line, finding.Column, finding.RuleId));
    }

    [Fact]
    public void An_unclosed_bracket_is_a_syntax_error_with_a_position_not_a_crash()
    {
        using var repository = new RepositoryCopy().Replace("k8s/deployment.yaml", "              drop:\n                - ALL", "              drop: [ALL\n");

        var finding = Assert.Single(repository.Validate());

        Assert.Equal(("k8s/deployment.yaml", RuleIds.YamlSyntax), (finding.File, finding.RuleId));
        Assert.True(finding.Line >= repository.LineOf("k8s/deployment.yaml", "drop: [ALL"), finding.ToString());
    }

    [Fact]
    public void Nesting_deeper_than_any_manifest_is_a_syntax_error_not_a_crash()
    {
        using var repository = new RepositoryCopy().Write("argocd/deep.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep, namespace: cloudage}\ndata:\n  x: " + new string('[', 100_000) + new string(']', 100_000) + "\n");

        var finding = Assert.Single(repository.Validate());

        Assert.Equal(("argocd/deep.yaml", 5, RuleIds.YamlSyntax), (finding.File, finding.Line, finding.RuleId));
        Assert.Contains("nest more than 1000 levels", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_undefined_alias_is_a_syntax_error()
    {
        using var repository = new RepositoryCopy().Write("argocd/alias.yaml", "apiVersion: v1\nkind: ConfigMap\ndata: *missing\n");

        var finding = Assert.Single(repository.Validate());

        Assert.Equal(("argocd/alias.yaml", RuleIds.YamlSyntax), (finding.File, finding.RuleId));
    }

    [Theory]
    [InlineData("just a string\n")]
    [InlineData("- a\n- list\n")]
    [InlineData("apiVersion: [v1]\nkind: ConfigMap\n")]
    public void A_document_that_is_not_a_manifest_is_reported_as_missing_apiversion_or_kind(string text)
    {
        using var repository = new RepositoryCopy().Write("argocd/odd.yaml", text);

        var finding = Assert.Single(repository.Validate());

        Assert.Equal(("argocd/odd.yaml", 1, RuleIds.ApiVersionKind), (finding.File, finding.Line, finding.RuleId));
    }

    [Fact]
    public void A_schema_error_in_the_second_document_of_a_file_points_at_its_line_in_the_file()
    {
        const string Text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: cloudage\n---\n" +
                            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  namespace: cloudage\n  colour: blue\n";
        using var repository = new RepositoryCopy().Write("k8s/two.yaml", Text)
            .Replace("k8s/kustomization.yaml", "  - service.yaml", "  - service.yaml\n  - two.yaml");

        var finding = Assert.Single(repository.Validate());

        Assert.Equal(("k8s/two.yaml", 12, 3, RuleIds.KubernetesSchema), (finding.File, finding.Line, finding.Column, finding.RuleId));
        Assert.Contains("unknown field \"metadata.colour\"", finding.Message);
    }

    [Fact]
    public void A_quantity_that_is_not_one_is_reported_with_the_models_own_words()
    {
        using var repository = new RepositoryCopy();
        var path = Path.Combine(repository.Root, "k8s", "deployment.yaml");
        var text = File.ReadAllText(path);
        var cpu = System.Text.RegularExpressions.Regex.Match(text, @"cpu: ""?[0-9a-z.]+""?");
        File.WriteAllText(path, text[..cpu.Index] + "cpu: abc" + text[(cpu.Index + cpu.Length)..]);

        var finding = Assert.Single(repository.Validate(), f => f.RuleId == RuleIds.KubernetesSchema);

        // The cast operator's own error (KubernetesClient's ResourceQuantity), not a reflection wrapper's.
        Assert.Contains("cannot be converted", finding.Message);
        Assert.DoesNotContain("target of an invocation", finding.Message);
    }

    [Fact]
    public void Positions_are_right_in_a_file_with_windows_line_endings()
    {
        using var repository = new RepositoryCopy();
        var path = Path.Combine(repository.Root, "k8s", "deployment.yaml");
        File.WriteAllText(path, File.ReadAllText(path).Replace("imagePullPolicy:", "imagePullPolcy:").Replace("\n", "\r\n"));

        var finding = Assert.Single(repository.Validate());

        Assert.Equal((repository.LineOf("k8s/deployment.yaml", "imagePullPolcy"), 11, RuleIds.KubernetesSchema), (finding.Line, finding.Column, finding.RuleId));
    }

    [Fact]
    public void A_missing_or_binary_iam_policy_is_reported_not_thrown()
    {
        using var repository = new RepositoryCopy().WriteBytes("docs/iam-policy.json", [0x00, 0xFF, 0x10]);

        var finding = Assert.Single(repository.Validate());

        Assert.Equal(("docs/iam-policy.json", RuleIds.IamJson), (finding.File, finding.RuleId));
        File.Delete(Path.Combine(repository.Root, "docs", "iam-policy.json"));
        Assert.Equal(RuleIds.IamJson, Assert.Single(repository.Validate()).RuleId);
    }

    [Fact]
    public void A_missing_manifest_folder_is_not_an_error_but_the_missing_policy_is()
    {
        var empty = Directory.CreateTempSubdirectory("cloudage-empty-");
        try
        {
            var finding = Assert.Single(RepositoryOptions.Validator().Validate(empty.FullName));

            Assert.Equal(RuleIds.IamJson, finding.RuleId);
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_deployment_cut_off_anywhere_gives_findings_never_an_exception()
    {
        using var repository = new RepositoryCopy();
        var path = Path.Combine(repository.Root, "k8s", "deployment.yaml");
        var text = File.ReadAllText(path);
        var (cuts, reported) = (0, 0);

        for (var length = 1; length < text.Length; length += 61)
        {
            File.WriteAllText(path, text[..length]);

            var findings = repository.Validate();

            (cuts, reported) = (cuts + 1, reported + (findings.Count > 0 ? 1 : 0));
            Assert.All(findings, f => Assert.True(f.Line >= 1 && f.Column >= 1 && f.Message.Length > 0, f.ToString()));
        }

        // A cut after the last required field leaves a valid, smaller Deployment; most cuts do not.
        Assert.True(reported > cuts * 3 / 4, $"only {reported} of {cuts} cut-off deployments were reported");
    }
}
