using CloudAge.Testing;
using CloudAge.Tools.Validation;

namespace CloudAge.Build.Tests;

/// <summary>The build, not the validator, knows this repository: its folders, its policy and the AWS actions its app calls.</summary>
public sealed class ValidateOptionsTests
{
    [Fact]
    public void The_repository_passes_Validate_with_the_options_the_build_passes()
    {
        var findings = new ManifestValidator(Build.ValidationOptions).Validate(Prerequisites.RepositoryRoot());

        Assert.Empty(findings.Select(f => f.ToString()));
    }

    [Fact]
    public void Every_action_the_build_allows_is_one_the_policy_grants_so_the_list_is_not_stale()
    {
        var policy = File.ReadAllText(Path.Combine(Prerequisites.RepositoryRoot(), Build.ValidationOptions.IamPolicyFile!));
        var granted = System.Text.RegularExpressions.Regex.Matches(policy, "\"([a-z0-9]+:[A-Za-z]+)\"").Select(m => m.Groups[1].Value).ToHashSet();

        Assert.Subset(granted, Build.ValidationOptions.AllowedIamActions.ToHashSet());
    }
}
