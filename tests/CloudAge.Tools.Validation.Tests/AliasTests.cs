using System.Text;
using CloudAge.Tools.Validation.Tests.Fixtures;

namespace CloudAge.Tools.Validation.Tests;

public sealed class AliasTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    /// <summary>Nine levels of nine aliases: 387 million scalars when expanded, in 1 KB of text.</summary>
    private static string Laughs(int levels, string indent)
    {
        var text = new StringBuilder($"{indent}l0: &l0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
        for (var level = 1; level <= levels; level++)
        {
            text.Append(indent).Append($"l{level}: &l{level} [").AppendJoin(", ", Enumerable.Repeat($"*l{level - 1}", 9)).Append("]\n");
        }

        return text.ToString();
    }

    private static string Crd(string example) => $$"""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: laughs.example.com
        spec:
          group: example.com
          unknownField: true
          scope: Namespaced
          names: {kind: Laugh, plural: laughs}
          versions:
            - name: v1
              served: true
              storage: true
              schema:
                openAPIV3Schema:
                  type: object
                  example:
        {{example}}
        """;

    [Fact]
    public async Task An_alias_bomb_in_a_crd_with_an_unknown_field_is_a_finding_within_the_guard()
    {
        using var repository = new RepositoryCopy().Write("argocd/laughs.yaml", Crd(Laughs(9, "              ")));

        // WaitAsync throws TimeoutException when the guard passes: a hang fails the test instead of stalling the run.
        var findings = await Task.Run(repository.Validate).WaitAsync(Guard);

        var finding = Assert.Single(findings);
        Assert.Equal(("argocd/laughs.yaml", RuleIds.YamlAliasLimit), (finding.File, finding.RuleId));
        Assert.Contains("excessive aliasing", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_few_aliases_in_a_crd_with_an_unknown_field_give_the_schema_finding_at_its_path()
    {
        using var repository = new RepositoryCopy().Write("argocd/laughs.yaml", Crd(Laughs(2, "              ")));

        var finding = Assert.Single(repository.Validate());

        Assert.Equal((RuleIds.KubernetesSchema, repository.LineOf("argocd/laughs.yaml", "unknownField")), (finding.RuleId, finding.Line));
        Assert.Contains("spec.unknownField", finding.Message, StringComparison.Ordinal);
    }
}
