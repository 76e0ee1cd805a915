using System.Globalization;
using System.Text.RegularExpressions;
using CloudAge.Common.Text;

namespace CloudAge.Tools.Aws.CloudFormation;

/// <summary>
/// Creates or updates a stack the way <c>aws cloudformation deploy</c> does: through a change set, which is printed
/// before it runs. No changes: the change set is deleted and nothing happens. Dry run: the change set is printed and
/// deleted (and a stack that existed only for it too). Otherwise it is executed and the stack watched, its events
/// reported as they come, until it settles; a failed stack's FAILED events are in the exception, the root cause first.
/// One <see cref="StackDeployment.Timeout"/> covers the change set and the stack together.
/// </summary>
public sealed partial class StackDeployer(CloudFormationClient client, Action<string> log, TimeProvider? timeProvider = null)
{
    private static readonly string[] UnusableStates = ["ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "DELETE_FAILED", "UPDATE_ROLLBACK_FAILED", "IMPORT_ROLLBACK_FAILED"];

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public async Task<DeploymentResult> DeployAsync(StackDeployment deployment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var name = deployment.StackName;
        var existing = await client.DescribeStackAsync(name, cancellationToken).ConfigureAwait(false);
        CheckDeployable(name, existing);
        // A stack in REVIEW_IN_PROGRESS has a change set but no resources: it is created, not updated.
        var create = existing is null || existing.Status == "REVIEW_IN_PROGRESS";
        var template = await client.GetTemplateParametersAsync(deployment.TemplateBody, cancellationToken).ConfigureAwait(false);
        var parameters = ParametersFor(deployment, template, create ? null : existing);

        var started = _time.GetUtcNow();
        var deadline = started + deployment.Timeout;
        var changeSetName = "cloudage-" + started.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        log($"Creating change set {changeSetName} for stack {name} ({(create ? "new stack" : "update of " + existing!.Status)}) at {client.Endpoint}.");
        try
        {
            await client.CreateChangeSetAsync(name, changeSetName, deployment.TemplateBody, parameters, deployment.Capabilities, create, cancellationToken).ConfigureAwait(false);
        }
        catch (CloudFormationException e) when (e.Code == "ValidationError" && e.ServiceMessage.Contains("No updates are to be performed", StringComparison.Ordinal))
        {
            // CloudFormation makes a FAILED change set for an identical update; some endpoints (moto) refuse it outright instead.
            return NoChanges(name, existing, null);
        }
        catch (CloudFormationException e) when (HeldByAnother(e) is { } status)
        {
            throw Busy(name, status);
        }
        catch (CloudFormationException e) when (e.Code == "InsufficientCapabilitiesException")
        {
            // CreateChangeSet's InsufficientCapabilitiesException ("Requires capabilities : [CAPABILITY_AUTO_EXPAND]"): the
            // template needs an acknowledgement this deployment does not give (API reference, CreateChangeSet Capabilities:
            // CAPABILITY_IAM / CAPABILITY_NAMED_IAM for IAM resources, CAPABILITY_AUTO_EXPAND for macros and nested transforms).
            throw new StackDeploymentException($"CloudFormation refused the template of stack {name}: {e.ServiceMessage}. Provision acknowledges " +
                $"{string.Join(" and ", deployment.Capabilities)} only (the named IAM roles need it); a Transform or macro needs CAPABILITY_AUTO_EXPAND, " +
                "which Provision does not grant: take it out of the template, or deploy that template with aws cloudformation deploy --capabilities.");
        }
        ChangeSetSummary changeSet;
        HashSet<string> seen;
        try
        {
            changeSet = await WaitForChangeSetAsync(name, changeSetName, deployment, deadline, cancellationToken).ConfigureAwait(false);
            if (await ReviewAsync(name, changeSetName, changeSet, deployment, create, existing, cancellationToken).ConfigureAwait(false) is { } done)
                return done;
            // The newest page is enough to know where this run's events begin: they are the ones above any of these.
            seen = (await client.DescribeStackEventsAsync(name, _ => true, cancellationToken).ConfigureAwait(false)).Select(e => e.EventId).ToHashSet(StringComparer.Ordinal);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped (Ctrl+C, the CI runner's SIGTERM) before the change set ran: it, and the empty stack a first one
            // made, would stay behind in the account, and the stack would show "REVIEW_IN_PROGRESS" to the next run.
            await AbandonAsync(name, changeSetName, create && existing is null).ConfigureAwait(false);
            throw;
        }
        try
        {
            await client.ExecuteChangeSetAsync(name, changeSetName, cancellationToken).ConfigureAwait(false);
        }
        catch (CloudFormationException e) when (HeldByAnother(e) is { } status)
        {
            throw Busy(name, status);
        }
        catch (CloudFormationException e) when (e.Code == "ValidationError")
        {
            var events = await NewEventsAsync(name, seen, cancellationToken).ConfigureAwait(false);
            throw new StackDeploymentException($"CloudFormation refused to run change set {changeSetName} on stack {name}: {e.ServiceMessage}. " +
                "Fix the template and rerun.", events);
        }
        StackSummary stack;
        try
        {
            stack = await WaitForStackAsync(name, seen, deployment, deadline, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            log($"Stopped watching stack {name}: CloudFormation carries on with change set {changeSetName}; follow it with aws cloudformation describe-stack-events --stack-name {name}.");
            throw;
        }
        if (stack.Status is "CREATE_COMPLETE" or "UPDATE_COMPLETE")
        {
            log($"Stack {name}: {stack.Status}.");
            return new DeploymentResult(create ? DeploymentOutcome.Created : DeploymentOutcome.Updated, changeSet, stack);
        }
        // Oldest first, so the root cause leads; the resources CloudFormation cancelled because of it add nothing.
        var failed = (await NewEventsAsync(name, seen, cancellationToken).ConfigureAwait(false)).Where(e => e.IsFailure && !e.IsCancellation).ToList();
        throw new StackDeploymentException($"Stack {name} failed: {stack.Status}{(stack.StatusReason is null ? string.Empty : " (" + stack.StatusReason + ")")}. " +
            (failed.Count == 0 ? string.Empty : "Failed: " + string.Join("; ", failed.Select(e => $"{e.LogicalId} ({e.ResourceType}) {e.Status}: {e.StatusReason}")) + ". ") +
            NextStep(name, stack.Status), failed);
    }

    /// <summary>The change set made: no changes, refused or a dry run end the deployment here (the result), else null.</summary>
    private async Task<DeploymentResult?> ReviewAsync(string name, string changeSetName, ChangeSetSummary changeSet, StackDeployment deployment, bool create,
        StackSummary? existing, CancellationToken cancellationToken)
    {
        if (changeSet.HasNoChanges)
        {
            await client.DeleteChangeSetAsync(name, changeSetName, cancellationToken).ConfigureAwait(false);
            return NoChanges(name, existing, changeSet);
        }
        if (changeSet.Status != "CREATE_COMPLETE")
        {
            await DiscardAsync(name, changeSetName, create && existing is null, cancellationToken).ConfigureAwait(false);
            throw new StackDeploymentException($"CloudFormation could not make a change set for stack {name}: {changeSet.Status} {changeSet.StatusReason}. Fix the template or parameters and rerun.");
        }
        log(ChangeSetReport.Render(name, changeSet));

        if (deployment.DryRun)
        {
            await DiscardAsync(name, changeSetName, create && existing is null, cancellationToken).ConfigureAwait(false);
            log($"Dry run: change set {changeSetName} deleted; stack {name} was not changed.");
            return new DeploymentResult(DeploymentOutcome.DryRun, changeSet, existing);
        }

        return null;
    }

    // A change set this run made but did not run, deleted with time of its own (the run's token is cancelled).
    private async Task AbandonAsync(string name, string changeSetName, bool stackWasMadeForIt)
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await DiscardAsync(name, changeSetName, stackWasMadeForIt, grace.Token).ConfigureAwait(false);
            log($"Stopped before the change set ran: change set {changeSetName} deleted; stack {name} was not changed.");
        }
        catch (Exception e) when (e is CloudFormationException or OperationCanceledException or HttpRequestException)
        {
            log($"Stopped before the change set ran, and change set {changeSetName} could not be deleted ({e.Message}); delete it with " +
                $"aws cloudformation delete-change-set --stack-name {name} --change-set-name {changeSetName}.");
        }
    }

    private DeploymentResult NoChanges(string name, StackSummary? existing, ChangeSetSummary? changeSet)
    {
        log($"Stack {name}: no changes; the template and parameters match what is deployed, nothing was changed.");
        return new DeploymentResult(DeploymentOutcome.NoChanges, changeSet, existing);
    }

    private static void CheckDeployable(string name, StackSummary? existing)
    {
        if (existing is null)
            return;
        if (existing.IsInProgress && existing.Status != "REVIEW_IN_PROGRESS")
            throw Busy(name, existing.Status);
        if (UnusableStates.Contains(existing.Status))
            throw new StackDeploymentException($"Stack {name} is {existing.Status} and cannot be updated. {NextStep(name, existing.Status)}");
    }

    private static StackDeploymentException Busy(string name, string status) =>
        new($"Stack {name} is {status}: another deployment is running. Wait for it (aws cloudformation describe-stacks --stack-name {name}) and rerun.");

    // Another operation can start between the DescribeStacks above and this run's CreateChangeSet or ExecuteChangeSet;
    // CloudFormation then refuses the call with ValidationError "Stack:<stack id> is in UPDATE_IN_PROGRESS state and can
    // not be updated." (the text aws cloudformation deploy passes through: awscli customizations/cloudformation/deployer.py
    // reraises it as is). That is the other deployment's doing, not this template's.
    private static string? HeldByAnother(CloudFormationException e) =>
        e.Code == "ValidationError" && HeldStatus().Match(e.ServiceMessage) is { Success: true } match && match.Groups[1].Value != "REVIEW_IN_PROGRESS"
            ? match.Groups[1].Value
            : null;

    [GeneratedRegex(@"is in ([A-Z_]+_IN_PROGRESS) state and can ?not be updated")]
    private static partial Regex HeldStatus();

    // What to do about a stack that failed or cannot take an update, by its state (CloudFormation user guide: "Stack
    // status codes", "Continue rolling back an update"). Deleting a stack that has been live deletes its roles, so it is
    // advised after a failed first create (nothing is live), for a delete that failed half-way, and for a failed import
    // rollback, which Provision never starts (it imports nothing).
    private static string NextStep(string name, string status) => status switch
    {
        "UPDATE_ROLLBACK_COMPLETE" => "Fix the cause and rerun; the stack is back on its previous version.",
        "UPDATE_ROLLBACK_FAILED" => "The update failed and so did its rollback: the stack is on neither version and takes no update until the " +
            $"rollback finishes. Fix what blocked it (aws cloudformation describe-stack-events --stack-name {name} names it), then run " +
            $"aws cloudformation continue-update-rollback --stack-name {name} (with --resources-to-skip <logical ids> for resources that cannot be " +
            "rolled back) and rerun. Do not delete the stack: that deletes its live roles.",
        "ROLLBACK_COMPLETE" =>
            $"A stack whose creation rolled back cannot be updated: fix the cause, delete it (aws cloudformation delete-stack --stack-name {name}) and rerun.",
        "ROLLBACK_FAILED" => "The stack's creation failed and so did its rollback; a failed first create has nothing live: fix the cause, " +
            $"delete it (aws cloudformation delete-stack --stack-name {name}) and rerun.",
        "DELETE_FAILED" or "IMPORT_ROLLBACK_FAILED" =>
            $"Look at its events (aws cloudformation describe-stack-events --stack-name {name}), delete it (aws cloudformation delete-stack --stack-name {name}) and rerun.",
        _ => $"Look at its events (aws cloudformation describe-stack-events --stack-name {name}), fix the cause and rerun.",
    };

    // Like `aws cloudformation deploy`: on an update, a parameter not given keeps the stack's value. Values that do not fit
    // the template are the user's to fix where they wrote them, so they are input errors (exit 2), not failed deployments.
    private static List<StackParameter> ParametersFor(StackDeployment deployment, IReadOnlyList<TemplateParameter> template, StackSummary? existing)
    {
        var (name, given) = (deployment.StackName, deployment.Parameters);
        var unknown = given.Keys.Where(k => template.All(p => p.Key != k)).ToList();
        if (unknown.Count > 0)
        {
            var named = unknown.Select(key =>
            {
                var closest = DidYouMean.Closest(key, template.Select(p => p.Key));
                return $"{key} ({deployment.ParameterSources.GetValueOrDefault(key, "--stack-parameters")}{(closest is null ? string.Empty : $"; did you mean {closest}?")})";
            });
            throw new StackParameterException($"The template of stack {name} has no parameter {string.Join(", ", named)}; it declares " +
                $"{(template.Count == 0 ? "none" : string.Join(", ", template.Select(p => p.Key)))}. Rename or remove the key, e.g. GitHubOwner=your-org.");
        }
        var parameters = new List<StackParameter>();
        var missing = new List<string>();
        var rules = TemplateParameterRules.Read(deployment.TemplateBody);
        var unfit = new List<string>();
        foreach (var parameter in template)
        {
            var rule = rules.GetValueOrDefault(parameter.Key);
            if (given.TryGetValue(parameter.Key, out var value))
            {
                parameters.Add(new StackParameter(parameter.Key, value, NoEcho: parameter.NoEcho));
                if (rule?.Violation(value) is { } violation)
                    unfit.Add($"{parameter.Key} ({deployment.ParameterSources.GetValueOrDefault(parameter.Key, "--stack-parameters")}): {violation}{Example(rule, parameter.NoEcho)}");
            }
            else if (existing?.Parameters.TryGetValue(parameter.Key, out var previous) == true)
            {
                parameters.Add(new StackParameter(parameter.Key, null, UsePreviousValue: true));
                // The value the stack keeps must fit the new template too; a NoEcho one comes back masked and is not judged.
                if (!parameter.NoEcho && rule?.Violation(previous!) is { } violation)
                    unfit.Add($"{parameter.Key} (the value stack {name} has now, kept because none is given): {violation}{Example(rule, parameter.NoEcho)}; pass a new one with --stack-parameters {parameter.Key}=<value>");
            }
            else if (!parameter.HasDefault)
                missing.Add(parameter.Key);
        }
        // CloudFormation refuses these at CreateChangeSet ("Parameter 'X' must match pattern ..."): said here, where each was written.
        if (unfit.Count > 0)
            throw new StackParameterException($"The template of stack {name} does not accept {(unfit.Count == 1 ? "this value" : "these values")}: {string.Join("; ", unfit)}.");
        if (missing.Count > 0)
            throw new StackParameterException($"Stack {name} needs a value for {string.Join(", ", missing)}, which has no default: pass --stack-parameters {missing[0]}=<value> or add it to the stack parameters file.");
        return parameters;
    }

    // The template's default as the example of a good value, unless the parameter is a NoEcho one.
    private static string Example(ParameterRule rule, bool noEcho) =>
        !noEcho && rule.Default is { Length: > 0 } example && rule.Violation(example) is null ? $"; e.g. {example}, the template's default" : string.Empty;

    private async Task<ChangeSetSummary> WaitForChangeSetAsync(string name, string changeSetName, StackDeployment deployment, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            var changeSet = await client.DescribeChangeSetAsync(name, changeSetName, cancellationToken).ConfigureAwait(false);
            if (changeSet.Status is not ("CREATE_PENDING" or "CREATE_IN_PROGRESS"))
                return changeSet;
            if (_time.GetUtcNow() > deadline)
                throw new StackDeploymentException($"Change set {changeSetName} of stack {name} was still {changeSet.Status} {TimeUsedUp(deployment)}; look at it in the CloudFormation console and rerun.");
            await Task.Delay(deployment.PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<StackSummary> WaitForStackAsync(string name, HashSet<string> seen, StackDeployment deployment, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var reported = new HashSet<string>(seen, StringComparer.Ordinal);
        while (true)
        {
            var stack = await client.DescribeStackAsync(name, cancellationToken).ConfigureAwait(false)
                ?? throw new StackDeploymentException($"Stack {name} disappeared while it was being deployed; someone deleted it. Rerun to create it again.");
            foreach (var e in await NewEventsAsync(name, reported, cancellationToken).ConfigureAwait(false))
            {
                reported.Add(e.EventId);
                log($"  {e.Timestamp.UtcDateTime:HH:mm:ss} {e.LogicalId} ({e.ResourceType}) {e.Status}{(e.StatusReason is null ? string.Empty : ": " + e.StatusReason)}");
            }
            if (!stack.IsInProgress)
                return stack;
            if (_time.GetUtcNow() > deadline)
                throw new StackDeploymentException($"Stack {name} was still {stack.Status} {TimeUsedUp(deployment)}; CloudFormation goes on without us: follow it with aws cloudformation describe-stack-events --stack-name {name}.");
            await Task.Delay(deployment.PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string TimeUsedUp(StackDeployment deployment) => $"after {deployment.Timeout}, the time the change set and the stack may take together";

    // Events are read back to the first one already known, so none of this run's is lost behind the first page;
    // oldest first, and in CloudFormation's order where timestamps tie.
    private async Task<List<StackEvent>> NewEventsAsync(string name, HashSet<string> seen, CancellationToken cancellationToken) =>
        (await client.DescribeStackEventsAsync(name, e => seen.Contains(e.EventId), cancellationToken).ConfigureAwait(false))
            .Where(e => !seen.Contains(e.EventId)).Reverse().OrderBy(e => e.Timestamp).ToList();

    private async Task DiscardAsync(string name, string changeSetName, bool stackWasMadeForIt, CancellationToken cancellationToken)
    {
        await client.DeleteChangeSetAsync(name, changeSetName, cancellationToken).ConfigureAwait(false);
        // A CREATE change set makes an empty stack (REVIEW_IN_PROGRESS); leave the account as it was. But another run may
        // have taken that stack meanwhile (a CREATE change set of its own, executed: CREATE_IN_PROGRESS), and DeleteStack
        // would delete what it is creating: only a stack still in review, with no resources, is this run's to delete.
        if (stackWasMadeForIt)
        {
            var now = await client.DescribeStackAsync(name, cancellationToken).ConfigureAwait(false);
            if (now?.Status == "REVIEW_IN_PROGRESS")
                await client.DeleteStackAsync(name, cancellationToken).ConfigureAwait(false);
            else if (now is not null)
                log($"Stack {name} is {now.Status} now: another deployment took it, so it is left alone.");
        }
    }
}
