using CloudAge.Testing;
using CloudAge.Tools.Aws.CloudFormation;
using CloudAge.Tools.Aws.Tests.Fixtures;

namespace CloudAge.Tools.Aws.Tests.CloudFormation;

/// <summary>Provision's deployment flow with infra/cloudage.yaml against moto's real CloudFormation, DynamoDB, S3, ECR and IAM.</summary>
[Collection(MotoServerGroup.Name)]
public sealed class StackDeployerTests(MotoServer moto) : IAsyncLifetime
{
    private static readonly string Template = File.ReadAllText(Path.Combine(Prerequisites.RepositoryRoot(), "infra", "cloudage.yaml"));
    private readonly LogCapture _log = new();
    private readonly string _stack = "cloudage-" + Guid.NewGuid().ToString("N")[..8];
    private Uri _endpoint = null!;

    public async Task InitializeAsync() => _endpoint = await moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private CloudFormationClient Client(HttpMessageHandler? handler = null) =>
        new(MotoServer.Session(), _log.Masker, _log.Log, new CloudFormationClientOptions { Endpoint = _endpoint, MaxAttempts = 2, FirstRetryDelay = TimeSpan.FromMilliseconds(50) }, handler);

    private static StackDeployment Deployment(string stack, string template, Dictionary<string, string> parameters, bool dryRun = false) =>
        new(stack, template, parameters) { DryRun = dryRun, PollInterval = TimeSpan.FromMilliseconds(200), Timeout = TimeSpan.FromMinutes(2) };

    private static Dictionary<string, string> Owner => new() { ["GitHubOwner"] = "acme", ["BucketName"] = "cloudage-assets-test" };

    [IntegrationFact(Needs.Moto)]
    public async Task Provision_creates_the_stack_and_every_resource_with_its_settings()
    {
        using var client = Client();

        var result = await new StackDeployer(client, _log.Log).DeployAsync(Deployment(_stack, Template, Owner));

        Assert.Equal(DeploymentOutcome.Created, result.Outcome);
        Assert.Equal("CREATE_COMPLETE", result.Stack!.Status);
        Assert.Contains(result.ChangeSet!.Changes, c => c is { Action: "Add", LogicalId: "AssignmentsTable", ResourceType: "AWS::DynamoDB::Table" });
        Assert.Contains(_log.Lines, l => l.Contains("Add      AssignmentsTable", StringComparison.Ordinal));
        Assert.Contains(_log.Lines, l => l.Contains("CREATE_COMPLETE", StringComparison.Ordinal));

        // moto models these settings through CloudFormation; versioning, the public access block, the bucket policy, the
        // lifecycle policy and point-in-time recovery it accepts but does not apply, so cfn-lint is their check.
        var found = await MotoInspector.QueryAsync(_endpoint, """
            table = ddb.describe_table(TableName="cloudage-assignments")["Table"]
            encryption = s3.get_bucket_encryption(Bucket="cloudage-assets-test")["ServerSideEncryptionConfiguration"]
            repo = ecr.describe_repositories(repositoryNames=["cloudage"])["repositories"][0]
            roles = [r["RoleName"] for r in iam.list_roles()["Roles"]]
            policies = [p["PolicyName"] for p in iam.list_policies(Scope="Local")["Policies"]]
            out(dict(billing=table["BillingModeSummary"]["BillingMode"], sse=encryption["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"],
                     mutability=repo["imageTagMutability"], exclusions=repo.get("imageTagMutabilityExclusionFilters", []), roles=roles, policies=policies))
            """);
        Assert.Equal("PAY_PER_REQUEST", found.GetProperty("billing").GetString());
        Assert.Equal("AES256", found.GetProperty("sse").GetString());
        Assert.Equal("IMMUTABLE_WITH_EXCLUSION", found.GetProperty("mutability").GetString());
        var exclusion = Assert.Single(found.GetProperty("exclusions").EnumerateArray());
        Assert.Equal(("WILDCARD", "latest"), (exclusion.GetProperty("filterType").GetString(), exclusion.GetProperty("filter").GetString()));
        Assert.Equal(2, found.GetProperty("policies").GetArrayLength());
        var roles = found.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Contains($"{_stack}-pod-role", roles);
        Assert.Contains($"{_stack}-github-push", roles);
        Assert.Contains($"{_stack}-github-deploy", roles);
        Assert.Contains($"{_stack}-aws-load-balancer-controller", roles);
    }

    [IntegrationFact(Needs.Moto)]
    public async Task The_GitHub_roles_trust_main_for_push_and_the_production_environment_for_deploy()
    {
        using var client = Client();
        await new StackDeployer(client, _log.Log).DeployAsync(Deployment(_stack, Template, Owner));

        var trust = await MotoInspector.QueryAsync(_endpoint, $$"""
            doc = lambda n: json.dumps(iam.get_role(RoleName="{{_stack}}-" + n)["Role"]["AssumeRolePolicyDocument"])
            out(dict(push=doc("github-push"), deploy=doc("github-deploy"), pod=doc("pod-role")))
            """);

        Assert.Contains("repo:acme/cloudage:ref:refs/heads/main", trust.GetProperty("push").GetString());
        Assert.DoesNotContain("environment:production", trust.GetProperty("push").GetString());
        Assert.Contains("repo:acme/cloudage:environment:production", trust.GetProperty("deploy").GetString());
        Assert.Contains("oidc-provider/token.actions.githubusercontent.com", trust.GetProperty("deploy").GetString());
        Assert.Contains("pods.eks.amazonaws.com", trust.GetProperty("pod").GetString());
        Assert.Contains("sts:TagSession", trust.GetProperty("pod").GetString());
    }

    [IntegrationFact(Needs.Moto)]
    public async Task With_a_cluster_issuer_the_pod_role_trusts_its_service_account_on_sub_and_aud()
    {
        using var client = Client();
        var parameters = Owner;
        parameters["ClusterOidcIssuer"] = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
        await new StackDeployer(client, _log.Log).DeployAsync(Deployment(_stack, Template, parameters));

        var trust = await MotoInspector.QueryAsync(_endpoint, $$"""
            out(json.dumps(iam.get_role(RoleName="{{_stack}}-pod-role")["Role"]["AssumeRolePolicyDocument"]))
            """);

        var text = trust.GetString()!;
        Assert.Contains("\"oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub\": \"system:serviceaccount:cloudage:cloudage-sa\"", text);
        Assert.Contains("\"oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud\": \"sts.amazonaws.com\"", text);
        Assert.Contains("pods.eks.amazonaws.com", text);
    }

    // The Bedrock statements of the pod role's policies as moto's IAM holds them after the stack was created: Sid -> (resources, condition).
    private async Task<Dictionary<string, (string[] Resources, string Condition)>> BedrockStatementsFor(string modelId)
    {
        using var client = Client();
        var parameters = Owner;
        parameters["BedrockModelId"] = modelId;
        var result = await new StackDeployer(client, _log.Log).DeployAsync(Deployment(_stack, Template, parameters));
        Assert.Equal("CREATE_COMPLETE", result.Stack!.Status);
        var found = await MotoInspector.QueryAsync(_endpoint, $$"""
            # moto does not attach a role's ManagedPolicyArns (the pod policy), so the policies are read by name; the
            # profile's model policy attaches itself (Roles), and that attachment is checked.
            statements = []
            attached = [a["PolicyName"] for a in iam.list_attached_role_policies(RoleName="{{_stack}}-pod-role")["AttachedPolicies"]]
            for p in iam.list_policies(Scope="Local")["Policies"]:
                if not p["PolicyName"].startswith("{{_stack}}-PodPolicy-") and not p["PolicyName"].startswith("{{_stack}}-BedrockProfileModelPolicy-"):
                    continue
                assert "PodPolicy" in p["PolicyName"] or p["PolicyName"] in attached, p["PolicyName"] + " is not attached to the pod role"
                doc = iam.get_policy_version(PolicyArn=p["Arn"], VersionId=p["DefaultVersionId"])["PolicyVersion"]["Document"]
                doc = json.loads(doc) if isinstance(doc, str) else doc
                statements += [s for s in doc["Statement"] if s.get("Sid", "").startswith("Bedrock")]
            out(statements)
            """);
        return found.EnumerateArray().ToDictionary(s => s.GetProperty("Sid").GetString()!, s =>
        {
            var resource = s.GetProperty("Resource");
            string[] resources = resource.ValueKind == System.Text.Json.JsonValueKind.Array ? [.. resource.EnumerateArray().Select(r => r.GetString()!)] : [resource.GetString()!];
            return (resources, s.TryGetProperty("Condition", out var condition) ? condition.GetRawText().Replace(" ", "", StringComparison.Ordinal) : "");
        });
    }

    [IntegrationFact(Needs.Moto)]
    public async Task A_model_id_is_granted_on_the_foundation_model_in_the_stacks_region_only()
    {
        var statements = await BedrockStatementsFor("anthropic.claude-3-haiku-20240307-v1:0");

        var model = Assert.Single(statements);
        Assert.Equal("BedrockModel", model.Key);
        Assert.Equal(["arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"], model.Value.Resources);
    }

    [IntegrationFact(Needs.Moto)]
    public async Task A_geographic_inference_profile_is_granted_on_the_profile_and_through_it_on_the_model_in_every_region()
    {
        // Bedrock user guide, "Geographic cross-Region inference": the profile, and the model in the source Region and in
        // every destination Region; a grant on foundation-model/us.anthropic... (what the template gave before) matches nothing.
        var statements = await BedrockStatementsFor("us.anthropic.claude-haiku-4-5-20251001-v1:0");

        const string profile = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0";
        Assert.Equal(["BedrockInferenceProfile", "BedrockProfileModel"], statements.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([profile], statements["BedrockInferenceProfile"].Resources);
        Assert.Equal("", statements["BedrockInferenceProfile"].Condition);
        Assert.Equal(["arn:aws:bedrock:*::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0"], statements["BedrockProfileModel"].Resources);
        Assert.Equal("{\"StringEquals\":{\"bedrock:InferenceProfileArn\":\"" + profile + "\"}}", statements["BedrockProfileModel"].Condition);
    }

    [IntegrationFact(Needs.Moto)]
    public async Task A_global_inference_profile_is_also_granted_on_the_region_less_model_for_unspecified_regions()
    {
        // Bedrock user guide, "Global cross-Region inference", IAM policy requirements: the profile, the model in the source
        // Region and the Region-less arn:aws:bedrock:::foundation-model/<model>. A model id with a dot of its own
        // (openai.gpt-5.6-terra) keeps it.
        var statements = await BedrockStatementsFor("global.openai.gpt-5.6-terra");

        const string profile = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.openai.gpt-5.6-terra";
        Assert.Equal(["BedrockInferenceProfile", "BedrockProfileModel"], statements.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([profile], statements["BedrockInferenceProfile"].Resources);
        Assert.Equal(["arn:aws:bedrock:*::foundation-model/openai.gpt-5.6-terra", "arn:aws:bedrock:::foundation-model/openai.gpt-5.6-terra"],
            statements["BedrockProfileModel"].Resources);
        Assert.Equal("{\"StringEquals\":{\"bedrock:InferenceProfileArn\":\"" + profile + "\"}}", statements["BedrockProfileModel"].Condition);
    }

    [IntegrationFact(Needs.Moto)]
    public async Task A_second_run_with_nothing_changed_says_no_changes_and_changes_nothing()
    {
        using var client = Client();
        var deployer = new StackDeployer(client, _log.Log);
        await deployer.DeployAsync(Deployment(_stack, Template, Owner));
        var eventsBefore = await client.DescribeStackEventsAsync(_stack);

        // No parameters at all: like `aws cloudformation deploy`, an update keeps the stack's values.
        var second = await deployer.DeployAsync(Deployment(_stack, Template, []));

        Assert.Equal(DeploymentOutcome.NoChanges, second.Outcome);
        Assert.Contains(_log.Lines, l => l.Contains("no changes", StringComparison.Ordinal));
        var eventsAfter = await client.DescribeStackEventsAsync(_stack);
        Assert.Equal(eventsBefore.Select(e => e.EventId), eventsAfter.Select(e => e.EventId));
        Assert.Equal("CREATE_COMPLETE", (await client.DescribeStackAsync(_stack))!.Status);
    }

    [IntegrationFact(Needs.Moto)]
    public async Task Dry_run_prints_the_change_set_and_creates_nothing()
    {
        using var client = Client();

        var result = await new StackDeployer(client, _log.Log).DeployAsync(Deployment(_stack, Template, Owner, dryRun: true));

        Assert.Equal(DeploymentOutcome.DryRun, result.Outcome);
        Assert.Contains(_log.Lines, l => l.Contains("Add      Repository", StringComparison.Ordinal));
        Assert.Null(await client.DescribeStackAsync(_stack));
        var left = await MotoInspector.QueryAsync(_endpoint, """
            out(dict(tables=ddb.list_tables()["TableNames"], repos=[r["repositoryName"] for r in ecr.describe_repositories()["repositories"]]))
            """);
        Assert.Empty(left.GetProperty("tables").EnumerateArray());
        Assert.Empty(left.GetProperty("repos").EnumerateArray());
    }

    [IntegrationFact(Needs.Moto)]
    public async Task Dry_run_of_an_update_leaves_the_stack_as_it_was()
    {
        using var client = Client();
        var deployer = new StackDeployer(client, _log.Log);
        await deployer.DeployAsync(Deployment(_stack, Template, Owner));

        var result = await deployer.DeployAsync(Deployment(_stack, Template, new() { ["KeepShaImages"] = "5" }, dryRun: true));

        Assert.Equal(DeploymentOutcome.DryRun, result.Outcome);
        var stack = await client.DescribeStackAsync(_stack);
        Assert.Equal("30", stack!.Parameters["KeepShaImages"]);
        Assert.Equal("CREATE_COMPLETE", stack.Status);
    }

    [IntegrationFact(Needs.Moto)]
    public async Task A_template_moto_refuses_to_run_fails_with_CloudFormations_reason()
    {
        using var client = Client();
        // GetAtt on a resource moto does not model: its ExecuteChangeSet answers ValidationError.
        const string broken = """
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              Provider:
                Type: AWS::IAM::OIDCProvider
                Properties: { Url: "https://token.actions.githubusercontent.com", ClientIdList: [sts.amazonaws.com] }
              Role:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument:
                    Version: "2012-10-17"
                    Statement: [{ Effect: Allow, Principal: { Federated: !GetAtt Provider.Arn }, Action: sts:AssumeRoleWithWebIdentity }]
            """;

        var e = await Assert.ThrowsAsync<StackDeploymentException>(() => new StackDeployer(client, _log.Log).DeployAsync(Deployment(_stack, broken, [])));

        Assert.Contains($"refused to run change set", e.Message);
        Assert.Contains("references undefined resource Provider", e.Message);
    }

    [IntegrationFact(Needs.Moto)]
    public async Task A_stack_that_rolls_back_fails_with_its_failed_events()
    {
        const string reason = "Resource handler returned message: \"cloudage-assets-test already exists\" (HandlerErrorCode: AlreadyExists)";
        using var script = new RollbackScript(_stack, "AssetsBucket", reason);
        using var client = Client(script);

        var e = await Assert.ThrowsAsync<StackDeploymentException>(() => new StackDeployer(client, _log.Log).DeployAsync(Deployment(_stack, Template, Owner)));

        var failed = Assert.Single(e.FailedEvents);
        Assert.Equal(("AssetsBucket", "CREATE_FAILED", reason), (failed.LogicalId, failed.Status, failed.StatusReason));
        Assert.Contains("ROLLBACK_COMPLETE", e.Message);
        Assert.Contains("AssetsBucket (AWS::S3::Bucket) CREATE_FAILED: " + reason, e.Message);
        Assert.Contains($"aws cloudformation delete-stack --stack-name {_stack}", e.Message);
        Assert.Contains(_log.Lines, l => l.Contains("ROLLBACK_IN_PROGRESS", StringComparison.Ordinal));
    }

    [IntegrationFact(Needs.Moto)]
    public async Task A_missing_required_parameter_is_named_before_anything_is_created()
    {
        using var client = Client();

        var e = await Assert.ThrowsAsync<StackParameterException>(() => new StackDeployer(client, _log.Log).DeployAsync(Deployment(_stack, Template, [])));

        Assert.IsAssignableFrom<CloudAge.Common.Errors.InputException>(e); // exit code 2
        Assert.Contains("--stack-parameters GitHubOwner=<value>", e.Message);
        Assert.Null(await client.DescribeStackAsync(_stack));
    }

    [IntegrationFact(Needs.Moto)]
    public async Task An_unknown_parameter_is_an_input_error_naming_where_it_was_written_the_closest_name_and_the_declared_ones()
    {
        using var client = Client();
        var parameters = Owner;
        parameters["GithubOwner"] = "typo";
        var deployment = Deployment(_stack, Template, parameters) with { ParameterSources = new Dictionary<string, string> { ["GithubOwner"] = "\"GithubOwner\" in infra/parameters.json" } };

        var e = await Assert.ThrowsAsync<StackParameterException>(() => new StackDeployer(client, _log.Log).DeployAsync(deployment));

        Assert.IsAssignableFrom<CloudAge.Common.Errors.InputException>(e); // exit code 2
        Assert.Contains("no parameter GithubOwner (\"GithubOwner\" in infra/parameters.json; did you mean GitHubOwner?)", e.Message);
        Assert.Contains("GitHubOwner", e.Message.Split("declares")[1]);
        Assert.Null(await client.DescribeStackAsync(_stack));
    }

    [IntegrationFact(Needs.Moto)]
    public async Task Values_the_templates_constraints_refuse_are_input_errors_naming_where_each_was_written_before_anything_is_created()
    {
        // CloudFormation refuses them at CreateChangeSet ("Parameter 'BedrockModelId' must match pattern ..."), which read as
        // a failed deployment (exit 1); moto checks no constraint at all, so without this the stack would be created.
        using var client = Client();
        var parameters = Owner;
        parameters["BedrockModelId"] = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0";
        parameters["KeepShaImages"] = "5000";
        var deployment = Deployment(_stack, Template, parameters) with { ParameterSources = new Dictionary<string, string> { ["BedrockModelId"] = "\"BedrockModelId\" in infra/parameters.json" } };

        var e = await Assert.ThrowsAsync<StackParameterException>(() => new StackDeployer(client, _log.Log).DeployAsync(deployment));

        Assert.IsAssignableFrom<CloudAge.Common.Errors.InputException>(e); // exit code 2
        Assert.StartsWith($"The template of stack {_stack} does not accept these values: KeepShaImages", e.Message, StringComparison.Ordinal); // the template's order
        Assert.Contains("; BedrockModelId (\"BedrockModelId\" in infra/parameters.json): " +
            "the value does not match the AllowedPattern [a-z0-9-]+\\.[A-Za-z0-9.:-]+ (must be a Bedrock model id", e.Message, StringComparison.Ordinal);
        Assert.Contains("e.g. anthropic.claude-3-haiku-20240307-v1:0, the template's default", e.Message, StringComparison.Ordinal);
        Assert.Contains("KeepShaImages (--stack-parameters): the value is outside MinValue 1 and MaxValue 1000; e.g. 30, the template's default", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("arn:aws:bedrock:us-east-1::", e.Message, StringComparison.Ordinal); // values are never repeated (a NoEcho one may be a secret)
        Assert.Null(await client.DescribeStackAsync(_stack));
    }

    [IntegrationFact(Needs.Moto)]
    public async Task A_value_the_stack_keeps_that_a_new_template_refuses_is_named_as_the_stacks_own_before_the_update()
    {
        using var client = Client();
        const string before = """
            AWSTemplateFormatVersion: "2010-09-09"
            Parameters:
              Mode:
                Type: String
            Resources:
              Handle:
                Type: AWS::CloudFormation::WaitConditionHandle
            """;
        await new StackDeployer(client, _log.Log).DeployAsync(Deployment(_stack, before, new() { ["Mode"] = "Fast" }));
        var after = before.Replace("    Type: String", "    Type: String\n    AllowedValues: [fast, slow]", StringComparison.Ordinal);

        var e = await Assert.ThrowsAsync<StackParameterException>(() => new StackDeployer(client, _log.Log).DeployAsync(Deployment(_stack, after, [])));

        Assert.Equal($"The template of stack {_stack} does not accept this value: Mode (the value stack {_stack} has now, kept because none is given): " +
            "the value is not one of the AllowedValues fast, slow; pass a new one with --stack-parameters Mode=<value>.", e.Message);
        Assert.Equal("Fast", (await client.DescribeStackAsync(_stack))!.Parameters["Mode"]);
    }

    [IntegrationFact(Needs.Moto)]
    public async Task Stopped_after_the_change_set_is_made_and_before_it_runs_the_change_set_and_the_empty_new_stack_are_removed()
    {
        using var client = Client();
        using var stop = new CancellationTokenSource();
        // Ctrl+C (or the runner's SIGTERM) arrives as the change set is printed: the deployment's next call is cancelled.
        var deployer = new StackDeployer(client, line =>
        {
            _log.Log(line);
            if (line.Contains("AWS::DynamoDB::Table", StringComparison.Ordinal))
                stop.Cancel();
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => deployer.DeployAsync(Deployment(_stack, Template, Owner), stop.Token));

        Assert.Contains(_log.Lines, l => l.StartsWith("Stopped before the change set ran: change set cloudage-", StringComparison.Ordinal) && l.EndsWith($"deleted; stack {_stack} was not changed.", StringComparison.Ordinal));
        Assert.Null(await client.DescribeStackAsync(_stack)); // not left in REVIEW_IN_PROGRESS for the next run
    }

    [IntegrationFact(Needs.Moto)]
    public async Task A_NoEcho_parameter_value_becomes_a_secret_of_the_run_and_an_ordinary_one_does_not()
    {
        using var client = Client();
        // CloudFormation prints a NoEcho value in no answer of its own, but a resource's failure reason in the stack events
        // or an Output that names it can: the run's masker must know it before CreateChangeSet sends it.
        const string template = """
            AWSTemplateFormatVersion: "2010-09-09"
            Parameters:
              ApiKey: { Type: String, NoEcho: true }
              Owner: { Type: String }
            Resources:
              Bucket:
                Type: AWS::S3::Bucket
                Properties:
                  Tags: [{ Key: api-key, Value: !Ref ApiKey }, { Key: owner, Value: !Ref Owner }]
            """;

        var result = await new StackDeployer(client, _log.Log).DeployAsync(Deployment(_stack, template, new() { ["ApiKey"] = "sk-live-0123456789", ["Owner"] = "platform-team" }));

        Assert.Equal(DeploymentOutcome.Created, result.Outcome);
        Assert.Equal("tag ***", _log.Masker.Redact("tag sk-live-0123456789"));
        Assert.Equal("owner platform-team", _log.Masker.Redact("owner platform-team"));
        _log.AssertNoneLeaked(["sk-live-0123456789"]);
    }
}
