using CloudAge.Workflows.Tests.Fixtures;

namespace CloudAge.Workflows.Tests;

public class ValidationTests
{
    // Names shaped like CloudAge's, so did-you-mean has near misses to find; no workflow attributes come with them.
    private static readonly BuildSurface Surface = new(
        ["Clean", "Restore", "Compile", "Test", "Publish", "DockerBuild", "Scan", "PushEcr", "BumpTag", "ArgoSync", "GetUrl", "Deploy", "Validate", "GenerateWorkflows"],
        ["Configuration", "DefaultBranch", "Commit", "EcrRepository", "EksClusterName", "ArgoCdServer", "ArgoCdAuthToken"])
    {
        Source = "build/Build.CI.GitHubActions.cs",
    };

    private static WorkflowDefinitionException Fails(WorkflowDefinitions definitions) =>
        Assert.Throws<WorkflowDefinitionException>(() => WorkflowGenerator.Generate(definitions, Surface));

    private static GitHubWorkflowAttribute Push(string name) => new(name) { OnPushBranches = ["main"] };

    private static GitHubWorkflowJobAttribute Job(string workflow, string id, params string[] targets) => new(workflow, id) { InvokedTargets = targets };

    [Fact]
    public void Workflow_run_of_an_unknown_workflow_fails_and_suggests_the_closest_name()
    {
        var deploy = new GitHubWorkflowAttribute("deploy") { OnWorkflowRunWorkflows = ["build-and-psuh"] };

        var error = Fails(new([Push("build-and-push"), deploy], [Job("build-and-push", "build", "PushEcr"), Job("deploy", "deploy", "Deploy")], []));

        Assert.Contains("Workflow 'deploy': OnWorkflowRunWorkflows names 'build-and-psuh', which is not a declared workflow. Did you mean 'build-and-push'?", error.Message);
    }

    [Fact]
    public void A_workflow_run_workflow_with_an_expression_as_its_concurrency_group_fails()
    {
        var deploy = new GitHubWorkflowAttribute("deploy") { OnWorkflowRunWorkflows = ["build-and-push"], ConcurrencyGroup = "deploy-${{ github.ref }}" };

        var error = Fails(new([Push("build-and-push"), deploy], [Job("build-and-push", "build", "PushEcr"), Job("deploy", "deploy", "Deploy")], []));

        Assert.Contains("Workflow 'deploy': ConcurrencyGroup 'deploy-${{ github.ref }}' must be a plain name (such as \"deploy\") on a workflow with OnWorkflowRunWorkflows", error.Message);
    }

    [Fact]
    public void A_job_needing_a_missing_job_fails_naming_both()
    {
        var job = Job("build-and-push", "push", "PushEcr");
        job.Needs = ["tset"];

        var error = Fails(new([Push("build-and-push")], [Job("build-and-push", "test", "Test"), job], []));

        Assert.Contains("Job 'push' of workflow 'build-and-push' needs job 'tset', which is not a job of this workflow. Did you mean 'test'?", error.Message);
    }

    [Fact]
    public void An_unknown_target_fails_with_did_you_mean_and_the_list_of_targets()
    {
        var error = Fails(new([Push("build-and-push")], [Job("build-and-push", "build", "PushErc")], []));

        Assert.Contains("Job 'build' of workflow 'build-and-push' invokes target 'PushErc', which does not exist. Did you mean 'PushEcr'? Available: ArgoSync, BumpTag, Clean,", error.Message);
        Assert.Contains("fix them in build/Build.CI.GitHubActions.cs", error.Message);
    }

    [Fact]
    public void Errors_name_the_source_the_build_passes_in_and_no_file_of_their_own()
    {
        var error = Assert.Throws<WorkflowDefinitionException>(() => WorkflowGenerator.Generate(
            new WorkflowDefinitions([Push("ci")], [Job("ci", "build", "Nope")], []), new BuildSurface(["Compile"]) { Source = "ci/Other.cs" }));
        var unnamed = Assert.Throws<WorkflowDefinitionException>(() => WorkflowGenerator.Generate(
            new WorkflowDefinitions([Push("ci")], [Job("ci", "build", "Nope")], []), new BuildSurface(["Compile"])));

        Assert.Contains("fix them in ci/Other.cs:", error.Message);
        Assert.Contains("fix them in the build's GitHubWorkflow attributes:", unnamed.Message);
        Assert.DoesNotContain("Build.CI.GitHubActions", unnamed.Message);
    }

    [Fact]
    public void Target_names_match_as_the_engine_matches_them()
    {
        var files = WorkflowGenerator.Generate(new WorkflowDefinitions([Push("ci")], [Job("ci", "build", "push-ecr")], []), Surface);

        Assert.Contains("run: exec ./build.sh push-ecr", files[0].Content);
    }

    [Fact]
    public void An_output_read_from_a_job_not_in_needs_fails()
    {
        var producer = Job("ci", "build", "PushEcr");
        producer.Outputs = ["image-tag"];
        var consumer = Job("ci", "deploy", "Deploy");
        consumer.NeedsOutputs = ["build.image-tag"];

        var error = Fails(new([Push("ci")], [producer, consumer], []));

        Assert.Contains("Job 'deploy' of workflow 'ci' reads output 'image-tag' of job 'build', which is not in its Needs", error.Message);
    }

    [Fact]
    public void An_output_the_needed_job_does_not_declare_fails()
    {
        var producer = Job("ci", "build", "PushEcr");
        producer.Outputs = ["image-tag"];
        var consumer = Job("ci", "deploy", "Deploy");
        consumer.Needs = ["build"];
        consumer.NeedsOutputs = ["build.image-tga"];

        var error = Fails(new([Push("ci")], [producer, consumer], []));

        Assert.Contains("reads output 'image-tga' of job 'build', which declares no such output. Did you mean 'image-tag'?", error.Message);
    }

    [Fact]
    public void Duplicate_job_ids_fail()
    {
        var error = Fails(new([Push("ci")], [Job("ci", "build", "Compile"), Job("ci", "build", "Test")], []));

        Assert.Contains("Workflow 'ci' has 2 jobs with id 'build'; job ids must be unique.", error.Message);
    }

    [Fact]
    public void A_cycle_in_needs_fails_as_a_path()
    {
        var a = Job("ci", "a", "Compile");
        a.Needs = ["b"];
        var b = Job("ci", "b", "Test");
        b.Needs = ["a"];

        var error = Fails(new([Push("ci")], [a, b], []));

        Assert.Contains("Workflow 'ci' has a cycle in its job needs: a -> b -> a.", error.Message);
    }

    [Fact]
    public void Oidc_without_id_token_write_fails_saying_what_to_add()
    {
        var workflow = Push("ci");
        workflow.AwsAuth = AwsAuthentication.OidcRole;

        var error = Fails(new([workflow], [Job("ci", "build", "PushEcr")], []));

        Assert.Contains("add GitHubTokenScope.IdToken to WritePermissions", error.Message);
    }

    [Fact]
    public void Role_or_keys_switch_on_a_secret_fails_because_if_cannot_read_secrets()
    {
        var workflow = Push("ci");
        workflow.WritePermissions = [GitHubTokenScope.IdToken];
        workflow.ReadPermissions = [GitHubTokenScope.Contents];
        workflow.AwsAuth = AwsAuthentication.OidcRoleOrStaticKeys;
        workflow.AwsRoleArn = "secrets.AWS_ROLE_ARN";

        var error = Fails(new([workflow], [Job("ci", "build", "PushEcr")], []));

        Assert.Contains("only works with a repository variable", error.Message);
    }

    [Fact]
    public void Paths_and_paths_ignore_together_fail_as_GitHub_rejects_them()
    {
        var workflow = Push("ci");
        workflow.OnPushIncludePaths = ["app/**"];
        workflow.OnPushExcludePaths = ["k8s/**"];

        var error = Fails(new([workflow], [Job("ci", "build", "Compile")], []));

        Assert.Contains("GitHub rejects paths and paths-ignore on one push trigger", error.Message);
    }

    [Fact]
    public void An_import_that_binds_to_no_parameter_fails_with_a_suggestion()
    {
        var workflow = Push("ci");
        workflow.ImportVariables = ["EKS_CLUSTER"];

        var error = Fails(new([workflow], [Job("ci", "build", "Compile")], []));

        Assert.Contains("imported environment variable 'EKS_CLUSTER' binds to no build parameter, so the build would ignore it. Did you mean 'EksClusterName'?", error.Message);
    }

    [Fact]
    public void A_build_argument_that_is_no_parameter_fails()
    {
        var job = Job("ci", "deploy", "Deploy");
        job.BuildArguments = "--comit abc --skip Test";

        var error = Fails(new([Push("ci")], [job], []));

        Assert.Contains("BuildArguments passes '--comit', which is no build parameter. Did you mean 'Commit'?", error.Message);
        Assert.DoesNotContain("'--skip'", error.Message);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var orphan = Job("nowhere", "x", "Compile");
        var error = Fails(new([new GitHubWorkflowAttribute("Bad Name")], [orphan], [new GitHubWorkflowInputAttribute("Bad Name", "tag")]));

        Assert.Contains("the name must be lower-case letters", error.Message);
        Assert.Contains("has no trigger", error.Message);
        Assert.Contains("has no job", error.Message);
        Assert.Contains("declares dispatch inputs (tag) but OnWorkflowDispatch is false", error.Message);
        Assert.Contains("Job 'x' belongs to workflow 'nowhere', which is not declared.", error.Message);
        Assert.Equal(5, error.Problems.Count);
    }

    [Fact]
    public void Without_parameter_names_imports_and_arguments_are_not_checked()
    {
        var workflow = Push("ci");
        workflow.ImportVariables = ["ANYTHING"];
        var job = Job("ci", "build", "Compile");
        job.BuildArguments = "--whatever 1";

        var files = WorkflowGenerator.Generate(new WorkflowDefinitions([workflow], [job], []), new BuildSurface(["Compile"]));

        Assert.Contains("ANYTHING: ${{ vars.ANYTHING }}", files[0].Content);
    }
}
