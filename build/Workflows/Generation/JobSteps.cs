using CloudAge.Workflows.Yaml;

namespace CloudAge.Workflows.Generation;

/// <summary>
/// The fixed step sequence of every job: checkout, .NET, cache, the test runner's services when the job runs tests,
/// AWS credentials, then the build.
/// </summary>
internal static class JobSteps
{
    /// <summary>The script that installs and starts what the tests need; .ci/run calls the same one.</summary>
    public const string PrepareTestRunnerScript = "scripts/ci/prepare-test-runner.sh";

    public static IReadOnlyList<StepNode> For(GitHubWorkflowAttribute workflow, GitHubWorkflowJobAttribute job)
    {
        var steps = new List<StepNode>
        {
            // The token stays out of .git/config: the build gets one explicitly (GIT_TOKEN) where it must push.
            new("Checkout") { Uses = PinnedActions.Checkout, With = [new("fetch-depth", workflow.FetchDepth), new("persist-credentials", false)] },
            new("Set up .NET") { Uses = PinnedActions.SetupDotnet, With = [new("global-json-file", "global.json")] },
            Cache(workflow),
        };
        if (job.PrepareTestRunner)
            steps.Add(new StepNode("Prepare the test runner (Docker engine, registry, moto, npm packages)") { Run = PrepareTestRunnerScript });
        steps.AddRange(Aws(workflow));
        steps.Add(Build(workflow, job));
        return steps;
    }

    private static StepNode Cache(GitHubWorkflowAttribute workflow)
    {
        var files = string.Join(", ", workflow.CacheKeyFiles.Select(f => $"'{f}'"));
        var prefix = Names.Expression("runner.os") + "-build-";
        return new StepNode("Cache NuGet packages and build tools")
        {
            Uses = PinnedActions.Cache,
            With =
            [
                new("path", "~/.nuget/packages\n.nuke/temp\n"),
                new("key", prefix + Names.Expression($"hashFiles({files})")),
                new("restore-keys", prefix),
            ],
        };
    }

    private static IEnumerable<StepNode> Aws(GitHubWorkflowAttribute workflow)
    {
        var region = new KeyValuePair<string, object>("aws-region", Names.Expression(workflow.AwsRegion));
        var role = new StepNode("Configure AWS credentials (OIDC role)")
        {
            Uses = PinnedActions.ConfigureAwsCredentials,
            With = [new("role-to-assume", Names.Expression(workflow.AwsRoleArn)), region],
        };
        var keys = new StepNode("Configure AWS credentials (static keys)")
        {
            Uses = PinnedActions.ConfigureAwsCredentials,
            With =
            [
                new("aws-access-key-id", Names.Expression("secrets." + Names.StaticAccessKeyId)),
                new("aws-secret-access-key", Names.Expression("secrets." + Names.StaticSecretAccessKey)),
                region,
            ],
        };
        // Two steps with opposite conditions: a step's inputs cannot be chosen by an expression
        // without passing empty role or key inputs, which the action treats as set.
        return workflow.AwsAuth switch
        {
            AwsAuthentication.OidcRole => [role],
            AwsAuthentication.StaticKeys => [keys],
            AwsAuthentication.OidcRoleOrStaticKeys =>
            [
                role with { If = $"{workflow.AwsRoleArn} != ''" },
                keys with { Name = "Configure AWS credentials (static keys, no role configured)", If = $"{workflow.AwsRoleArn} == ''" },
            ],
            _ => [],
        };
    }

    private static StepNode Build(GitHubWorkflowAttribute workflow, GitHubWorkflowJobAttribute job)
    {
        var env = new List<KeyValuePair<string, string>>();
        env.AddRange(workflow.ImportSecrets.Select(Mapping.Parse).Select(m => Env(m.Target, "secrets." + m.Source)));
        env.AddRange(workflow.ImportVariables.Select(Mapping.Parse).Select(m => Env(m.Target, "vars." + m.Source)));
        env.AddRange(job.NeedsOutputs.Select(Mapping.ParseNeedsOutput).Select(n => Env(n.Env, $"needs.{n.Job}.outputs.{n.Output}")));
        // Values from outside (dispatch inputs, event payloads) reach the build as environment variables, never
        // spliced into the run: script, where a crafted value would become shell code.
        env.AddRange(job.EnvironmentVariables.Select(Mapping.Parse).Select(m => Env(m.Target, m.Source)));
        // exec: the runner cancels a step by signalling only the step's shell (SIGINT, 7.5 s, SIGTERM, 2.5 s, then kill:
        // actions/runner src/Runner.Sdk/ProcessInvoker.cs, SendSignal is kill(pid)). A non-interactive bash passes no
        // signal on to the command it waits for and dies on SIGTERM, leaving the build running alone; exec'd, the build
        // is that process (build.sh execs the program in turn) and stops its targets and their child processes.
        var command = "exec ./build.sh " + string.Join(' ', job.InvokedTargets);
        if (!string.IsNullOrWhiteSpace(job.BuildArguments))
            command += " " + job.BuildArguments.Trim();
        return new StepNode("Run " + string.Join(' ', job.InvokedTargets)) { Id = Names.BuildStepId, Run = command, Env = env };

        static KeyValuePair<string, string> Env(string name, string expression) => new(name, Names.Expression(expression));
    }
}
