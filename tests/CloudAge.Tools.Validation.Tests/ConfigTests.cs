using CloudAge.Tools.Validation.Tests.Fixtures;

namespace CloudAge.Tools.Validation.Tests;

public sealed class ConfigTests
{
    private const string Config = ManifestValidator.ConfigFileName;

    [Fact]
    public void A_rule_disabled_with_a_reason_reports_nothing()
    {
        using var repository = new RepositoryCopy().Replace("k8s/deployment.yaml", "  replicas: 2", "  replicas: 1")
            .Write(Config, "disable:\n  - rule: min-replicas\n    reason: the test cluster has one node\n");

        Assert.Empty(repository.Validate());
    }

    [Theory]
    [InlineData("pss-sysctls", "k8s/deployment.yaml", "net.ipv4.ip_unprivileged_port_start", "kernel.msgmax")]
    [InlineData("configmap-no-secrets", "k8s/configmap.yaml", "  S3_BUCKET:", "  DB_PASSWORD: \"not-a-placeholder\"\n  S3_BUCKET:")]
    [InlineData("iam-no-wildcard-resource-name", "docs/iam-policy.json", "table/cloudage-assignments", "table/*")]
    [InlineData("kustomize-no-secret", "k8s/kustomization.yaml", "  - service.yaml", "  - service.yaml\n  - secret.yaml")]
    public void A_new_rule_is_switched_off_like_the_others(string rule, string file, string find, string replacement)
    {
        using var repository = new RepositoryCopy().Replace(file, find, replacement);
        Assert.Contains(repository.Validate(), f => f.RuleId == rule);

        repository.Write(Config, $"disable:\n  - rule: {rule}\n    reason: this test switches it off\n");

        Assert.Empty(repository.Validate());
    }

    [Fact]
    public async Task A_rules_file_that_is_a_fifo_is_a_finding_not_a_hang()
    {
        using var repository = new RepositoryCopy();
        var path = Path.Combine(repository.Root, Config);
        File.Delete(path);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]))
        {
            mkfifo.WaitForExit();
        }

        var findings = await Task.Run(repository.Validate).WaitAsync(TimeSpan.FromSeconds(60)); // a hang throws TimeoutException

        var finding = Assert.Single(findings);
        Assert.Equal((Config, RuleIds.FileNotRegular), (finding.File, finding.RuleId));
    }

    [Fact]
    public void A_rule_disabled_without_a_reason_is_an_error_and_stays_on()
    {
        using var repository = new RepositoryCopy().Replace("k8s/deployment.yaml", "  replicas: 2", "  replicas: 1")
            .Write(Config, "disable:\n  - rule: min-replicas\n");

        var findings = repository.Validate();

        Assert.Contains(findings, f => f.File == Config && f.Line == 2 && f.RuleId == RuleIds.Config && f.Message.Contains("needs a reason"));
        Assert.Contains(findings, f => f.RuleId == RuleIds.MinReplicas);
    }

    [Theory]
    [InlineData("disable:\n  - rule: no-such-rule\n    reason: typo\n", 2)]
    [InlineData("disable:\n  - rule: validate-config\n    reason: quiet\n", 2)]
    [InlineData("disabled: []\n", 1)]
    [InlineData("disable: [\n", 2)]
    [InlineData("# rules\ndisable:\n  rule: min-replicas\n", 2)]
    public void A_malformed_config_is_reported_at_its_line(string text, int line)
    {
        using var repository = new RepositoryCopy().Write(Config, text);

        var finding = Assert.Single(repository.Validate());

        Assert.Equal((Config, line, RuleIds.Config), (finding.File, finding.Line, finding.RuleId));
    }

    [Theory]
    [InlineData("disable:\n  - min-replicas\n", 2, "`- rule: min-replicas` then `reason:")]
    [InlineData("iamExtraActions:\n  - {action: dynamodb:UpdateItem}\n", 2, "each iamExtraActions entry is one IAM action")]
    public void An_entry_of_the_wrong_shape_says_how_to_write_it(string text, int line, string expected)
    {
        using var repository = new RepositoryCopy().Write(Config, text);

        var finding = Assert.Single(repository.Validate());

        Assert.Equal((Config, line, RuleIds.Config), (finding.File, finding.Line, finding.RuleId));
        Assert.Contains(expected, finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_extra_iam_action_in_the_config_is_allowed()
    {
        using var repository = new RepositoryCopy().Replace("docs/iam-policy.json", "\"dynamodb:Query\"", "\"dynamodb:Query\", \"dynamodb:UpdateItem\"");
        Assert.Equal(RuleIds.IamAllowedActions, Assert.Single(repository.Validate()).RuleId);

        repository.Write(Config, "iamExtraActions:\n  - dynamodb:UpdateItem\n");

        Assert.Empty(repository.Validate());
    }

    [Fact]
    public void A_finding_prints_as_file_line_column_rule_message()
    {
        var finding = new Finding("k8s/service.yaml", 3, 7, RuleIds.ServiceSelector, "selects nothing");

        Assert.Equal("k8s/service.yaml:3:7: service-selector-matches: selects nothing", finding.ToString());
    }
}
