using CloudAge.Workflows.Tests.Fixtures;
using CloudAge.Workflows.Triggers;

namespace CloudAge.Workflows.Tests;

public class TriggerCheckTests
{
    // The sample's push workflow ignores deploy/**; its release runs after it (workflow_run), like a build and a deploy.
    private static readonly GitHubWorkflowAttribute BuildAndPush =
        WorkflowDefinitions.FromType(typeof(SampleBuild)).Workflows.Single(w => w.Name == "ci");

    private static readonly GitHubWorkflowAttribute Deploy =
        WorkflowDefinitions.FromType(typeof(SampleBuild)).Workflows.Single(w => w.Name == "release");

    // What a tag bump commits: the image line of a deployment manifest, with [skip ci] in the message.
    private static readonly SimulatedPush TagBump = new("main", ["deploy/app.yaml"],
        "Deploy 123456789012.dkr.ecr.eu-west-1.amazonaws.com/cloudage:sha-1a2b3c4 [skip ci]");

    [Fact]
    public void The_tag_bump_commit_starts_no_build()
    {
        var decision = TriggerCheck.OnPush(BuildAndPush, TagBump);

        Assert.False(decision.Triggers, decision.Reason);
    }

    [Fact]
    public void The_tag_bump_paths_alone_start_no_build_even_without_skip_ci()
    {
        var decision = TriggerCheck.OnPush(BuildAndPush, TagBump with { CommitMessage = "Deploy sha-1a2b3c4" });

        Assert.False(decision.Triggers);
        Assert.Equal("Every changed path matches paths-ignore [deploy/**, **/*.md].", decision.Reason);
    }

    [Fact]
    public void The_skip_marker_alone_stops_a_build_that_changes_app_code()
    {
        var decision = TriggerCheck.OnPush(BuildAndPush, TagBump with { ChangedPaths = ["deploy/app.yaml", "app/Program.cs"] });

        Assert.False(decision.Triggers);
        Assert.Equal("The commit message contains '[skip ci]', which skips push runs.", decision.Reason);
    }

    [Fact]
    public void A_normal_commit_to_app_starts_the_build()
    {
        var decision = TriggerCheck.OnPush(BuildAndPush, new("main", ["app/Program.cs", "README.md"], "Answer /healthz faster"));

        Assert.True(decision.Triggers, decision.Reason);
        Assert.Equal("'app/Program.cs' is not ignored by paths-ignore [deploy/**, **/*.md].", decision.Reason);
    }

    [Fact]
    public void A_commit_to_another_branch_starts_no_build()
    {
        Assert.False(TriggerCheck.OnPush(BuildAndPush, new("feature/x", ["app/Program.cs"], "wip")).Triggers);
    }

    [Fact]
    public void A_push_made_with_GITHUB_TOKEN_starts_nothing()
    {
        var decision = TriggerCheck.OnPush(BuildAndPush, new SimulatedPush("main", ["app/Program.cs"], "bump") { PushedWithGitHubToken = true });

        Assert.False(decision.Triggers);
    }

    [Fact]
    public void Deploy_is_never_started_by_a_push()
    {
        Assert.False(TriggerCheck.OnPush(Deploy, new("main", ["app/Program.cs"], "change")).Triggers);
    }

    [Theory]
    [InlineData("[skip ci]")]
    [InlineData("[ci skip]")]
    [InlineData("[no ci]")]
    [InlineData("[skip actions]")]
    [InlineData("[actions skip]")]
    public void Every_documented_skip_marker_skips(string marker)
    {
        Assert.False(TriggerCheck.OnPush(BuildAndPush, new("main", ["app/Program.cs"], "Fix\n\n" + marker)).Triggers);
    }

    [Fact]
    public void Skip_markers_match_exactly_so_the_check_never_claims_a_skip_GitHub_might_not_make()
    {
        Assert.True(TriggerCheck.OnPush(BuildAndPush, new("main", ["app/Program.cs"], "[skip-ci] [SKIP CI]")).Triggers);
    }

    [Fact]
    public void Paths_with_negation_follow_GitHubs_last_match_wins_order()
    {
        var workflow = new GitHubWorkflowAttribute("ci") { OnPushBranches = ["main"], OnPushIncludePaths = ["app/**", "!app/**/*.md", "app/keep.md"] };

        Assert.True(TriggerCheck.OnPush(workflow, new("main", ["app/a/Program.cs"], "x")).Triggers);
        Assert.False(TriggerCheck.OnPush(workflow, new("main", ["app/a/notes.md"], "x")).Triggers);
        Assert.True(TriggerCheck.OnPush(workflow, new("main", ["app/keep.md"], "x")).Triggers);
        Assert.False(TriggerCheck.OnPush(workflow, new("main", ["k8s/deployment.yaml"], "x")).Triggers);
    }

    [Theory]
    [InlineData("*", "README.md", true)]
    [InlineData("*", "docs/README.md", false)]
    [InlineData("**", "a/b/c", true)]
    [InlineData("*.jsx?", "page.js", true)]
    [InlineData("*.jsx?", "page.jsx", true)]
    [InlineData("**.js", "src/js/app.js", true)]
    [InlineData("docs/*", "docs/file.txt", true)]
    [InlineData("docs/*", "docs/a/file.txt", false)]
    [InlineData("docs/**/*.md", "docs/README.md", true)]
    [InlineData("docs/**/*.md", "docs/a/markdown/file.md", true)]
    [InlineData("**/docs/**", "docs/hello.md", true)]
    [InlineData("**/docs/**", "space/docs/plan/space.doc", true)]
    [InlineData("**/README.md", "README.md", true)]
    [InlineData("**/README.md", "js/README.md", true)]
    [InlineData("**/*-post.md", "path/their-post.md", true)]
    [InlineData("feature/*", "feature/my-branch", true)]
    [InlineData("feature/*", "feature/your/branch", false)]
    [InlineData("v2*", "v2.0", true)]
    [InlineData("v[12].[0-9]+.[0-9]+", "v1.10.1", true)]
    [InlineData("v[12].[0-9]+.[0-9]+", "v3.0.0", false)]
    [InlineData("k8s/**", "k8s/deployment.yaml", true)]
    [InlineData("k8s/**", "app/k8s/x.yaml", false)]
    public void Filter_patterns_match_as_GitHubs_cheat_sheet_says(string pattern, string value, bool matches)
    {
        Assert.Equal(matches, FilterPattern.Included(value, [pattern]));
    }
}
