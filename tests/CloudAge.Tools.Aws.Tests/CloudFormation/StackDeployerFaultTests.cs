using CloudAge.Tools.Aws.CloudFormation;
using CloudAge.Tools.Aws.Credentials;
using CloudAge.Tools.Aws.Tests.Fixtures;

namespace CloudAge.Tools.Aws.Tests.CloudFormation;

/// <summary>
/// What moto cannot show (it has no idempotency tokens, event pages, failed rollbacks or slow stacks): the deployer
/// against the in-process <see cref="CloudFormationFake"/>.
/// </summary>
public sealed class StackDeployerFaultTests
{
    private const string Stack = "cloudage";
    private readonly LogCapture _log = new();

    // A per-try timeout short enough that a lost answer costs little; the retry shape is what is tested.
    private CloudFormationClient Client(CloudFormationFake fake) =>
        new(AwsSession.FromKeys("AKIDEXAMPLE", "fake-secret-key", null, "us-east-1"), _log.Masker, _log.Log, new CloudFormationClientOptions
        {
            Endpoint = new Uri("https://cloudformation.us-east-1.amazonaws.com/"),
            MaxAttempts = 3,
            FirstRetryDelay = TimeSpan.FromMilliseconds(10),
            AttemptTimeout = TimeSpan.FromMilliseconds(500),
        }, fake);

    private Task<DeploymentResult> DeployAsync(CloudFormationFake fake, TimeSpan? timeout = null, string template = "Resources: {}", bool dryRun = false)
    {
        var client = Client(fake);
        var deployment = new StackDeployment(Stack, template, new Dictionary<string, string>())
        {
            PollInterval = TimeSpan.FromMilliseconds(1),
            Timeout = timeout ?? TimeSpan.FromHours(1),
            DryRun = dryRun,
        };
        return new StackDeployer(client, _log.Log, fake.Clock).DeployAsync(deployment);
    }

    [Fact]
    public async Task A_CreateChangeSet_whose_answer_was_lost_is_retried_with_the_same_ClientToken_and_succeeds()
    {
        var fake = new CloudFormationFake(Stack) { Status = "UPDATE_COMPLETE", AnswerLostOnFirstTry = ["CreateChangeSet"] };

        var result = await DeployAsync(fake);

        Assert.Equal(DeploymentOutcome.Updated, result.Outcome);
        var tries = fake.Calls.Where(c => c["Action"] == "CreateChangeSet").ToList();
        Assert.Equal(2, tries.Count);
        Assert.Equal(tries[0]["ChangeSetName"], tries[0]["ClientToken"]);
        Assert.Equal(tries[0]["ClientToken"], tries[1]["ClientToken"]);
        Assert.Contains(_log.Lines, l => l.StartsWith("CloudFormation CreateChangeSet did not answer within", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_ExecuteChangeSet_whose_answer_was_lost_is_retried_with_the_same_ClientRequestToken_and_succeeds()
    {
        var fake = new CloudFormationFake(Stack) { Status = "UPDATE_COMPLETE", AnswerLostOnFirstTry = ["ExecuteChangeSet"] };

        var result = await DeployAsync(fake);

        Assert.Equal(DeploymentOutcome.Updated, result.Outcome);
        var tries = fake.Calls.Where(c => c["Action"] == "ExecuteChangeSet").ToList();
        Assert.Equal(2, tries.Count);
        Assert.Matches("^[a-zA-Z0-9][-a-zA-Z0-9]{0,127}$", tries[0]["ClientRequestToken"]);
        Assert.Equal(tries[0]["ClientRequestToken"], tries[1]["ClientRequestToken"]);
    }

    [Fact]
    public async Task A_failed_update_with_more_than_a_page_of_events_reports_the_root_cause_first_without_the_cancelled_follow_ons()
    {
        const string rootCause = "Resource handler returned message: \"MalformedPolicyDocument: Policy document should not specify a principal\"";
        var later = Enumerable.Range(0, 120).Select(i => (i % 2 == 0 ? "UPDATE_IN_PROGRESS" : "UPDATE_COMPLETE", $"Rollback{i}", "AWS::IAM::Policy", (string?)null));
        var fake = new CloudFormationFake(Stack)
        {
            Status = "UPDATE_COMPLETE",
            Run =
            [
                new("UPDATE_IN_PROGRESS", ("UPDATE_IN_PROGRESS", Stack, "AWS::CloudFormation::Stack", "User Initiated")),
                new("UPDATE_ROLLBACK_IN_PROGRESS",
                [
                    ("UPDATE_FAILED", "PodRole", "AWS::IAM::Role", rootCause),
                    ("UPDATE_FAILED", "GitHubPushRole", "AWS::IAM::Role", "Resource update cancelled"),
                    .. later,
                ]),
                new("UPDATE_ROLLBACK_COMPLETE", ("UPDATE_ROLLBACK_COMPLETE", Stack, "AWS::CloudFormation::Stack", null)),
            ],
        };
        fake.AddHistory(250);

        var e = await Assert.ThrowsAsync<StackDeploymentException>(() => DeployAsync(fake));

        var failed = Assert.Single(e.FailedEvents);
        Assert.Equal(("PodRole", "UPDATE_FAILED", rootCause), (failed.LogicalId, failed.Status, failed.StatusReason));
        Assert.Contains($"Failed: PodRole (AWS::IAM::Role) UPDATE_FAILED: {rootCause}. ", e.Message);
        Assert.DoesNotContain("cancelled", e.Message);
        Assert.Contains(_log.Lines, l => l.Contains(rootCause, StringComparison.Ordinal)); // reported as it came, too
        // Paged past the first 100, but never into the history before this run (the page starting at 200).
        var pages = fake.Calls.Where(c => c["Action"] == "DescribeStackEvents").Select(c => c.GetValueOrDefault("NextToken")).ToList();
        Assert.Contains("100", pages);
        Assert.DoesNotContain("200", pages);
    }

    public static TheoryData<string?, string, string, string> EndStates => new()
    {
        // state before, state the run ends in, what the message says, what it must not say
        { "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "Fix the cause and rerun; the stack is back on its previous version.", "delete-stack" },
        { "UPDATE_COMPLETE", "UPDATE_ROLLBACK_FAILED", $"aws cloudformation continue-update-rollback --stack-name {Stack}", "delete-stack" },
        { null, "ROLLBACK_FAILED", $"a failed first create has nothing live: fix the cause, delete it (aws cloudformation delete-stack --stack-name {Stack})", "previous version" },
        { null, "ROLLBACK_COMPLETE", $"delete it (aws cloudformation delete-stack --stack-name {Stack}) and rerun", "previous version" },
    };

    [Theory]
    [MemberData(nameof(EndStates))]
    public async Task A_failed_run_says_what_to_do_for_the_state_it_ended_in(string? before, string end, string says, string doesNotSay)
    {
        var verb = before is null ? "CREATE" : "UPDATE";
        var fake = new CloudFormationFake(Stack)
        {
            Status = before,
            Run =
            [
                new($"{verb}_IN_PROGRESS"),
                new(end.Replace("_FAILED", "_IN_PROGRESS").Replace("_COMPLETE", "_IN_PROGRESS"), ($"{verb}_FAILED", "PodRole", "AWS::IAM::Role", "Access denied")),
                new(end, (end, Stack, "AWS::CloudFormation::Stack", null)),
            ],
        };

        var e = await Assert.ThrowsAsync<StackDeploymentException>(() => DeployAsync(fake));

        Assert.StartsWith($"Stack {Stack} failed: {end}. Failed: PodRole (AWS::IAM::Role) {verb}_FAILED: Access denied", e.Message);
        Assert.Contains(says, e.Message);
        Assert.DoesNotContain(doesNotSay, e.Message);
    }

    [Fact]
    public async Task A_stack_left_in_UPDATE_ROLLBACK_FAILED_is_told_to_continue_the_rollback_not_to_be_deleted()
    {
        var fake = new CloudFormationFake(Stack) { Status = "UPDATE_ROLLBACK_FAILED" };

        var e = await Assert.ThrowsAsync<StackDeploymentException>(() => DeployAsync(fake));

        Assert.StartsWith($"Stack {Stack} is UPDATE_ROLLBACK_FAILED and cannot be updated.", e.Message);
        Assert.Contains($"aws cloudformation continue-update-rollback --stack-name {Stack}", e.Message);
        Assert.Contains("--resources-to-skip", e.Message);
        Assert.DoesNotContain("delete-stack", e.Message);
        Assert.DoesNotContain(fake.Calls, c => c["Action"] == "CreateChangeSet");
    }

    [Theory]
    [InlineData("CreateChangeSet")]
    [InlineData("ExecuteChangeSet")]
    public async Task Another_deployment_that_starts_after_the_stack_was_read_is_named_as_such_not_blamed_on_the_template(string startsBefore)
    {
        var fake = new CloudFormationFake(Stack) { Status = "UPDATE_COMPLETE", SomeoneElseStartsBefore = startsBefore };

        var e = await Assert.ThrowsAsync<StackDeploymentException>(() => DeployAsync(fake));

        Assert.Equal($"Stack {Stack} is UPDATE_IN_PROGRESS: another deployment is running. Wait for it (aws cloudformation describe-stacks --stack-name {Stack}) and rerun.", e.Message);
    }

    [Fact]
    public async Task A_template_that_needs_a_capability_Provision_does_not_grant_says_which_and_what_to_do()
    {
        var fake = new CloudFormationFake(Stack) { Status = "UPDATE_COMPLETE" };

        var e = await Assert.ThrowsAsync<StackDeploymentException>(() => DeployAsync(fake, template: "Transform: AWS::Serverless-2016-10-31\nResources: {}"));

        Assert.StartsWith($"CloudFormation refused the template of stack {Stack}: Requires capabilities : [CAPABILITY_AUTO_EXPAND]. Provision acknowledges CAPABILITY_NAMED_IAM only", e.Message);
        Assert.Contains("take it out of the template", e.Message);
        Assert.Equal("CAPABILITY_NAMED_IAM", Assert.Single(fake.Calls, c => c["Action"] == "CreateChangeSet")["Capabilities.member.1"]);
    }

    [Fact]
    public async Task A_first_dry_run_deletes_the_empty_stack_it_made_but_not_one_another_run_is_creating_meanwhile()
    {
        var alone = new CloudFormationFake(Stack);
        var raced = new CloudFormationFake(Stack) { SomeoneElseStartsBefore = "DeleteChangeSet", SomeoneElsesStatus = "CREATE_IN_PROGRESS" };

        await DeployAsync(alone, dryRun: true);
        var result = await DeployAsync(raced, dryRun: true);

        Assert.Contains(alone.Calls, c => c["Action"] == "DeleteStack");
        Assert.Equal(DeploymentOutcome.DryRun, result.Outcome);
        Assert.DoesNotContain(raced.Calls, c => c["Action"] == "DeleteStack");
        Assert.Contains(_log.Lines, l => l == $"Stack {Stack} is CREATE_IN_PROGRESS now: another deployment took it, so it is left alone.");
    }

    [Fact]
    public async Task The_change_set_and_the_stack_share_one_timeout()
    {
        // The change set takes 6 of the 10 minutes; the stack never settles. Each poll of either takes a minute.
        var fake = new CloudFormationFake(Stack) { Status = "UPDATE_COMPLETE", ChangeSetPollsInProgress = 6, Run = [new("UPDATE_IN_PROGRESS")] };
        var start = fake.Clock.GetUtcNow();

        var e = await Assert.ThrowsAsync<StackDeploymentException>(() => DeployAsync(fake, TimeSpan.FromMinutes(10)));

        Assert.InRange(fake.Clock.GetUtcNow() - start, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(11));
        Assert.StartsWith($"Stack {Stack} was still UPDATE_IN_PROGRESS after 00:10:00, the time the change set and the stack may take together;", e.Message);
    }
}
