using System.Text.Json;
using System.Text.RegularExpressions;
using CloudAge.Build.Tests.Fixtures;

namespace CloudAge.Build.Tests;

/// <summary>
/// `./build.sh Provision` end to end: the built build program in its own process, with --root, static keys in its
/// environment and --aws-endpoint on the real moto server, deploying the repository's infra/cloudage.yaml. The
/// deployment flow's corner cases are StackDeployerTests' (tools level); these prove the target's wiring: inputs,
/// credentials, the endpoint override, the exit codes and what the user reads.
/// </summary>
public sealed partial class ProvisionTests(MotoAlone moto) : IClassFixture<MotoAlone>, IDisposable
{
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzPROVISIONzz";
    private static readonly string Root = Prerequisites.RepositoryRoot();
    private readonly GateRepository _repository = CopyWithInfra();
    private readonly string _id = Guid.NewGuid().ToString("N")[..8];

    private string Stack => "cloudage-e2e-" + _id;
    private string Table => "cloudage-e2e-table-" + _id;
    private string Bucket => "cloudage-e2e-bucket-" + _id;
    private string Repository => "cloudage-e2e-" + _id;

    // The names each test owns, so tests sharing one moto never collide; ConfigureRegistryScanning is account-wide.
    private string[] Parameters => ["GitHubOwner=acme", $"TableName={Table}", $"BucketName={Bucket}", $"RepositoryName={Repository}", "ConfigureRegistryScanning=false"];

    private static GateRepository CopyWithInfra()
    {
        var repository = new GateRepository(Root);
        // The template only: no infra/parameters.json, so the values are the command line's alone.
        Directory.CreateDirectory(Path.Combine(repository.Root, "infra"));
        File.Copy(Path.Combine(Root, "infra", "cloudage.yaml"), Path.Combine(repository.Root, "infra", "cloudage.yaml"));
        return repository;
    }

    private (int ExitCode, string Output) Provision(string stack, params string[] extra) =>
        Run(stack, new Dictionary<string, string>(), ["--aws-endpoint", moto.Endpoint, .. extra]);

    /// <param name="variables">Added to the environment of static keys (the AWS CLI's endpoint variables, say).</param>
    private (int ExitCode, string Output) Run(string stack, Dictionary<string, string> variables, string[] extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE",
            ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
            // Nothing but the keys above: no profile of this machine, no instance metadata.
            ["AWS_CONFIG_FILE"] = Path.Combine(_repository.Root, "no-aws-config"),
            ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(_repository.Root, "no-aws-credentials"),
            ["AWS_PROFILE"] = "",
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["NO_COLOR"] = "1",
        };
        foreach (var (name, value) in variables)
            environment[name] = value;
        var result = ProcessHelper.Run("dotnet", string.Join(' ', [BuildProgram.Dll(), "Provision", "--root", _repository.Root, "--no-logo",
            "--aws-region", "us-east-1", "--stack-name", stack, .. extra]), _repository.Root, environment, timeoutSeconds: 300);
        Assert.DoesNotContain(SecretKey, result.Output);
        Assert.DoesNotContain("wJalrXUtnFEMI", result.Output);
        return result;
    }

    private JsonElement Resources() => moto.Query($$"""
        stacks = [s["StackStatus"] for s in cfn.list_stacks()["StackSummaries"] if s["StackName"] == "{{Stack}}" and s["StackStatus"] != "DELETE_COMPLETE"]
        out(dict(stacks=stacks, tables=[t for t in ddb.list_tables()["TableNames"] if t == "{{Table}}"],
                 buckets=[b["Name"] for b in s3.list_buckets()["Buckets"] if b["Name"] == "{{Bucket}}"],
                 repos=[r["repositoryName"] for r in ecr.describe_repositories()["repositories"] if r["repositoryName"] == "{{Repository}}"]))
        """);

    // The GitHub OIDC provider as another stack (or CloudFormation's GitHubOidcProvider, which moto skips) makes it.
    private string CreateGitHubProvider() => moto.Query("""
        out(iam.create_open_id_connect_provider(Url="https://token.actions.githubusercontent.com", ClientIDList=["sts.amazonaws.com"], ThumbprintList=["a" * 40])["OpenIDConnectProviderArn"])
        """).GetString()!;

    private void DeleteGitHubProvider(string arn) => moto.Query($$"""
        iam.delete_open_id_connect_provider(OpenIDConnectProviderArn="{{arn}}")
        out(True)
        """);

    private JsonElement Events() => moto.Query($$"""
        out([e["EventId"] for e in cfn.describe_stack_events(StackName="{{Stack}}")["StackEvents"]])
        """);

    [IntegrationFact(Needs.Moto)]
    public void The_first_run_creates_the_stack_and_its_resources_and_a_second_run_changes_nothing()
    {
        var first = Provision(Stack, ["--stack-parameters", .. Parameters]);
        var created = Resources();
        var table = moto.Query($$"""
            t = ddb.describe_table(TableName="{{Table}}")["Table"]
            r = ecr.describe_repositories(repositoryNames=["{{Repository}}"])["repositories"][0]
            p = iam.get_role_policy(RoleName="{{Stack}}-github-push", PolicyName="ecr-push")["PolicyDocument"]
            # moto keeps an inline policy CloudFormation gave it as the template's mapping, printed as Python.
            p = __import__("ast").literal_eval(p) if isinstance(p, str) else p
            out(dict(billing=t["BillingModeSummary"]["BillingMode"], mutability=r["imageTagMutability"],
                     pushSids=[s.get("Sid") for s in p["Statement"]]))
            """);
        var eventsBefore = Events();
        // No parameters: like `aws cloudformation deploy`, an update keeps the values the stack has.
        var second = Provision(Stack);
        var eventsAfter = Events();
        var after = Resources();

        Assert.True(first.ExitCode == 0, first.Output);
        var changeSet = Regex.Match(first.Output, $@"Creating change set (cloudage-\d{{8}}-\d{{6}}) for stack {Stack} \(new stack\) at {Regex.Escape(moto.Endpoint)}");
        Assert.True(changeSet.Success, first.Output);
        Assert.Matches(@"Add\s+AssignmentsTable\s+AWS::DynamoDB::Table", first.Output);
        Assert.Matches(@"Add\s+Repository\s+AWS::ECR::Repository", first.Output);
        Assert.Contains($"Stack {Stack}: CREATE_COMPLETE.", first.Output);
        Assert.Matches(@"(?m)^Provision\s+Succeeded", first.Output);
        Assert.Equal(["CREATE_COMPLETE"], created.GetProperty("stacks").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal([Table], created.GetProperty("tables").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal([Bucket], created.GetProperty("buckets").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal([Repository], created.GetProperty("repos").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("PAY_PER_REQUEST", table.GetProperty("billing").GetString());
        Assert.Equal("IMMUTABLE_WITH_EXCLUSION", table.GetProperty("mutability").GetString());
        // ConfigureRegistryScanning=false: another owner may have set enhanced scanning, whose findings ScanEcr reads
        // only with Inspector's list permissions.
        Assert.Equal(["Login", "PushAndScan", "EnhancedScanFindings"], table.GetProperty("pushSids").EnumerateArray().Select(s => s.GetString()));

        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains($"Stack {Stack}: no changes", second.Output);
        Assert.DoesNotContain("Add ", second.Output);
        Assert.Equal(eventsBefore.EnumerateArray().Select(e => e.GetString()), eventsAfter.EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(created.ToString(), after.ToString());
    }

    [IntegrationFact(Needs.Moto)]
    public void Dry_run_prints_the_change_set_and_creates_nothing()
    {
        var result = Provision(Stack, ["--dry-run", "--stack-parameters", .. Parameters]);
        var left = Resources();

        Assert.True(result.ExitCode == 0, result.Output);
        var changeSet = Regex.Match(result.Output, $@"Creating change set (cloudage-\d{{8}}-\d{{6}}) for stack {Stack} \(new stack\)");
        Assert.True(changeSet.Success, result.Output);
        Assert.Matches(@"Add\s+AssignmentsTable\s+AWS::DynamoDB::Table", result.Output);
        Assert.Matches(@"Add\s+Repository\s+AWS::ECR::Repository", result.Output);
        Assert.Contains($"Dry run: change set {changeSet.Groups[1].Value} deleted; stack {Stack} was not changed.", result.Output);
        Assert.Empty(left.GetProperty("stacks").EnumerateArray());
        Assert.Empty(left.GetProperty("tables").EnumerateArray());
        Assert.Empty(left.GetProperty("buckets").EnumerateArray());
        Assert.Empty(left.GetProperty("repos").EnumerateArray());
    }

    [IntegrationFact(Needs.Moto)]
    public void A_stack_parameter_that_is_not_Key_Value_exits_2_with_one_sentence_naming_it_and_creates_nothing()
    {
        var result = Provision(Stack, ["--stack-parameters", "GitHubOwner=acme", "TableName"]);
        var left = Resources();

        Assert.True(result.ExitCode == 2, result.Output);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var message = Assert.Single(lines, l => l.Contains("--stack-parameters", StringComparison.Ordinal));
        Assert.Contains("'TableName' is not Key=Value", message);
        Assert.Contains("e.g. --stack-parameters GitHubOwner=", message);
        Assert.DoesNotContain("Exception", result.Output);
        Assert.DoesNotMatch(@"(?m)^\s+at \S+\(", result.Output);
        Assert.DoesNotContain("Creating change set", result.Output);
        Assert.Empty(left.GetProperty("stacks").EnumerateArray());
    }

    [IntegrationFact(Needs.Moto)]
    public void A_parameters_file_key_the_template_does_not_declare_exits_2_naming_the_file_and_the_closest_parameter()
    {
        // Drift between infra/parameters.json and the template's Parameters (a renamed or mistyped key) is the user's
        // input to fix, not a failed deployment: exit 2, before any change set.
        File.WriteAllText(Path.Combine(_repository.Root, "infra", "parameters.json"), """{ "Parameters": { "GithubOwner": "acme" } }""");

        var result = Provision(Stack, ["--stack-parameters", .. Parameters.Skip(1)]);
        var left = Resources();

        Assert.True(result.ExitCode == 2, result.Output);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // One sentence (the summary table repeats its start as the target's note).
        var message = lines.First(l => l.Contains("GithubOwner", StringComparison.Ordinal));
        Assert.Contains("no parameter GithubOwner (\"GithubOwner\" in infra/parameters.json; did you mean GitHubOwner?); it declares TableName,", message);
        Assert.EndsWith("Rename or remove the key, e.g. GitHubOwner=your-org.", message);
        Assert.DoesNotContain("Exception", result.Output);
        Assert.DoesNotContain("Creating change set", result.Output);
        Assert.Empty(left.GetProperty("stacks").EnumerateArray());
    }

    [IntegrationFact(Needs.Moto)]
    public void A_required_parameter_without_a_value_exits_2_naming_it()
    {
        var result = Provision(Stack, ["--stack-parameters", .. Parameters.Skip(1)]);

        Assert.True(result.ExitCode == 2, result.Output);
        Assert.Contains($"Stack {Stack} needs a value for GitHubOwner, which has no default: pass --stack-parameters GitHubOwner=<value>", result.Output);
        Assert.DoesNotContain("Creating change set", result.Output);
    }

    [IntegrationFact(Needs.Moto)]
    public void A_stack_name_too_long_for_the_role_names_exits_2_naming_its_flag_and_the_longest_allowed_even_in_a_dry_run()
    {
        // IAM role names are at most 64 characters and the template names a role <stack>-aws-load-balancer-controller:
        // CloudFormation would start creating, fail that role and roll the stack back minutes later.
        var stack = "cloudage-production-" + _id + "-12345678";

        var result = Provision(stack, ["--dry-run", "--stack-parameters", .. Parameters]);
        var left = moto.Query($$"""
            out([s["StackStatus"] for s in cfn.list_stacks()["StackSummaries"] if s["StackName"] == "{{stack}}"])
            """);

        Assert.True(result.ExitCode == 2, result.Output);
        var message = result.Output.Split('\n').First(l => l.Contains("--stack-name", StringComparison.Ordinal)).Trim();
        Assert.Contains($"--stack-name {stack}: is 37 characters, and the IAM role name {stack}-aws-load-balancer-controller the template builds from it", message);
        Assert.Contains("the stack name may have at most 35 characters; pass a shorter one, e.g. --stack-name cloudage-prod.", message);
        Assert.DoesNotContain("Creating change set", result.Output);
        Assert.DoesNotContain("Exception", result.Output);
        Assert.Empty(left.EnumerateArray());
    }

    [IntegrationFact(Needs.Moto)]
    public void A_stack_name_from_the_environment_is_named_by_its_variable()
    {
        var stack = "cloudage-production-" + _id + "-12345678";

        var result = ProcessHelper.Run("dotnet", string.Join(' ', [BuildProgram.Dll(), "Provision", "--root", _repository.Root, "--no-logo",
            "--aws-endpoint", moto.Endpoint, "--aws-region", "us-east-1", "--dry-run"]), _repository.Root, new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE",
            ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
            ["STACK_NAME"] = stack,
            ["NO_COLOR"] = "1",
        }, timeoutSeconds: 120);

        Assert.True(result.ExitCode == 2, result.Output);
        Assert.Contains($"STACK_NAME {stack}: is 37 characters", result.Output);
        Assert.DoesNotContain("Creating change set", result.Output);
    }

    [IntegrationFact(Needs.Moto)]
    public void A_new_stack_whose_role_name_the_account_already_has_exits_2_naming_the_role_before_any_change_set()
    {
        // IAM role names hold across Regions: the same stack name deployed in a second Region would fail on <stack>-pod-role
        // ("already exists") mid-create and roll back. Here the role is made as another Region's stack would have made it.
        moto.Query($$"""
            iam.create_role(RoleName="{{Stack}}-pod-role", AssumeRolePolicyDocument='{"Version":"2012-10-17","Statement":[]}')
            out(True)
            """);
        try
        {
            var refused = Provision(Stack, ["--dry-run", "--stack-parameters", .. Parameters]);

            Assert.True(refused.ExitCode == 2, refused.Output);
            Assert.Contains($"--stack-name {Stack}: the account already has IAM role {Stack}-pod-role, which a new stack of this name would create " +
                "(IAM role names hold across all Regions", refused.Output);
            Assert.Contains($"e.g. --stack-name {Stack}-us-east-1", refused.Output);
            Assert.DoesNotContain("Creating change set", refused.Output);
        }
        finally
        {
            moto.Query($$"""
                iam.delete_role(RoleName="{{Stack}}-pod-role")
                out(True)
                """);
        }
    }

    [IntegrationFact(Needs.Moto)]
    public void An_account_that_has_the_GitHub_OIDC_provider_gets_one_sentence_to_pass_its_ARN_before_any_change_set()
    {
        // IAM keeps one OIDC provider per URL (CreateOpenIDConnectProvider: EntityAlreadyExists); CloudFormation would find
        // out when it creates GitHubOidcProvider and roll the whole stack back. moto's CloudFormation skips that resource,
        // so only the check before the change set can show it here.
        var provider = CreateGitHubProvider();
        try
        {
            var refused = Provision(Stack, ["--dry-run", "--stack-parameters", .. Parameters]);
            var withArn = Provision(Stack, ["--stack-parameters", .. Parameters, $"GitHubOidcProviderArn={provider}"]);

            Assert.True(refused.ExitCode == 2, refused.Output);
            var message = refused.Output.Split('\n').First(l => l.Contains("already has", StringComparison.Ordinal)).Trim();
            Assert.EndsWith($"The account already has the GitHub OIDC provider {provider}, and IAM allows one per URL, so stack {Stack} cannot create " +
                $"its own: pass that one as the stack parameter GitHubOidcProviderArn, e.g. --stack-parameters GitHubOidcProviderArn={provider}.", message);
            Assert.DoesNotContain("Creating change set", refused.Output);
            Assert.True(withArn.ExitCode == 0, withArn.Output);
            Assert.Contains($"Stack {Stack}: CREATE_COMPLETE.", withArn.Output);
        }
        finally
        {
            DeleteGitHubProvider(provider);
        }
    }

    [IntegrationFact(Needs.Moto)]
    public void A_stack_that_made_the_GitHub_provider_itself_is_updated_without_the_check_refusing_it()
    {
        var created = Provision(Stack, ["--stack-parameters", .. Parameters]);
        // What CloudFormation's GitHubOidcProvider made (moto skips that resource, so it is made here as it would be).
        var provider = CreateGitHubProvider();
        try
        {
            var updated = Provision(Stack, ["--stack-parameters", "KeepShaImages=20"]);

            Assert.True(created.ExitCode == 0, created.Output);
            Assert.True(updated.ExitCode == 0, updated.Output);
            Assert.Contains($"Stack {Stack}: UPDATE_COMPLETE.", updated.Output);
        }
        finally
        {
            DeleteGitHubProvider(provider);
        }
    }

    [IntegrationFact(Needs.Moto)]
    public void A_GitHub_provider_ARN_the_account_does_not_have_exits_2_naming_where_it_was_given()
    {
        // IAM refuses a role whose trust policy names an OIDC provider that does not exist.
        var result = Provision(Stack, ["--stack-parameters", .. Parameters, "GitHubOidcProviderArn=arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"]);

        Assert.True(result.ExitCode == 2, result.Output);
        Assert.Contains("GitHubOidcProviderArn arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com (--stack-parameters): the account has no such OIDC provider", result.Output);
        Assert.DoesNotContain("Creating change set", result.Output);
    }

    [IntegrationFact(Needs.Moto)]
    public void A_cluster_issuer_without_its_IAM_OIDC_provider_fails_before_any_change_set_saying_how_to_create_it()
    {
        const string issuer = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";

        var result = Provision(Stack, ["--stack-parameters", .. Parameters, $"ClusterOidcIssuer={issuer}"]);

        Assert.True(result.ExitCode == 1, result.Output);
        Assert.Contains($"The account has no IAM OIDC provider for the cluster's issuer {issuer} (ClusterOidcIssuer, --stack-parameters)", result.Output);
        Assert.Contains("eksctl utils associate-iam-oidc-provider --cluster cloudage --approve", result.Output);
        Assert.DoesNotContain("Creating change set", result.Output);
        Assert.Empty(Resources().GetProperty("stacks").EnumerateArray());
    }

    public void Dispose() => _repository.Dispose();
}
