using System.Globalization;

namespace CloudAge.Tools.Aws.CloudFormation;

/// <summary>
/// Creates or updates a stack the way <c>aws cloudformation deploy</c> does: through a change set, which is printed
/// before it runs. No changes: the change set is deleted and nothing happens. Dry run: the change set is printed and
/// deleted (and a stack that existed only for it too). Otherwise it is executed and the stack watched, its events
/// reported as they come, until it settles; a failed stack's FAILED events are in the exception.
/// </summary>
public sealed class StackDeployer(CloudFormationClient client, Action<string> log, TimeProvider? timeProvider = null)
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
        var parameters = ParametersFor(name, deployment.Parameters, template, create ? null : existing);

        var changeSetName = "cloudage-" + _time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
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
        var changeSet = await WaitForChangeSetAsync(name, changeSetName, deployment, cancellationToken).ConfigureAwait(false);

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

        var seen = (await client.DescribeStackEventsAsync(name, cancellationToken).ConfigureAwait(false)).Select(e => e.EventId).ToHashSet(StringComparer.Ordinal);
        try
        {
            await client.ExecuteChangeSetAsync(name, changeSetName, cancellationToken).ConfigureAwait(false);
        }
        catch (CloudFormationException e) when (e.Code == "ValidationError")
        {
            var events = await NewEventsAsync(name, seen, cancellationToken).ConfigureAwait(false);
            throw new StackDeploymentException($"CloudFormation refused to run change set {changeSetName} on stack {name}: {e.ServiceMessage}. " +
                "Fix the template and rerun.", events);
        }
        var stack = await WaitForStackAsync(name, seen, deployment, cancellationToken).ConfigureAwait(false);
        if (stack.Status is "CREATE_COMPLETE" or "UPDATE_COMPLETE")
        {
            log($"Stack {name}: {stack.Status}.");
            return new DeploymentResult(create ? DeploymentOutcome.Created : DeploymentOutcome.Updated, changeSet, stack);
        }
        var all = await client.DescribeStackEventsAsync(name, cancellationToken).ConfigureAwait(false);
        var failed = all.Where(e => !seen.Contains(e.EventId) && e.IsFailure).OrderBy(e => e.Timestamp).ToList();
        var next = stack.Status == "ROLLBACK_COMPLETE"
            ? $"A stack whose creation rolled back cannot be updated: fix the cause, delete it (aws cloudformation delete-stack --stack-name {name}) and rerun."
            : "Fix the cause and rerun; the stack is back on its previous version.";
        throw new StackDeploymentException($"Stack {name} failed: {stack.Status}{(stack.StatusReason is null ? string.Empty : " (" + stack.StatusReason + ")")}. " +
            (failed.Count == 0 ? string.Empty : "Failed: " + string.Join("; ", failed.Select(e => $"{e.LogicalId} ({e.ResourceType}) {e.Status}: {e.StatusReason}")) + ". ") + next, failed);
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
            throw new StackDeploymentException($"Stack {name} is {existing.Status}: another deployment is running. Wait for it (aws cloudformation describe-stacks --stack-name {name}) and rerun.");
        if (UnusableStates.Contains(existing.Status))
            throw new StackDeploymentException($"Stack {name} is {existing.Status} and cannot be updated. Look at its events (aws cloudformation describe-stack-events --stack-name {name}), delete it (aws cloudformation delete-stack --stack-name {name}) and rerun.");
    }

    // Like `aws cloudformation deploy`: on an update, a parameter not given keeps the stack's value.
    private static List<StackParameter> ParametersFor(string name, IReadOnlyDictionary<string, string> given, IReadOnlyList<TemplateParameter> template, StackSummary? existing)
    {
        var unknown = given.Keys.Where(k => template.All(p => p.Key != k)).ToList();
        if (unknown.Count > 0)
            throw new StackDeploymentException($"The template of stack {name} has no parameter {string.Join(", ", unknown)}; it declares {string.Join(", ", template.Select(p => p.Key))}.");
        var parameters = new List<StackParameter>();
        var missing = new List<string>();
        foreach (var parameter in template)
        {
            if (given.TryGetValue(parameter.Key, out var value))
                parameters.Add(new StackParameter(parameter.Key, value));
            else if (existing?.Parameters.ContainsKey(parameter.Key) == true)
                parameters.Add(new StackParameter(parameter.Key, null, UsePreviousValue: true));
            else if (!parameter.HasDefault)
                missing.Add(parameter.Key);
        }
        if (missing.Count > 0)
            throw new StackDeploymentException($"Stack {name} needs a value for {string.Join(", ", missing)}, which has no default: pass --stack-parameters {missing[0]}=<value> or add it to the stack parameters file.");
        return parameters;
    }

    private async Task<ChangeSetSummary> WaitForChangeSetAsync(string name, string changeSetName, StackDeployment deployment, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + deployment.Timeout;
        while (true)
        {
            var changeSet = await client.DescribeChangeSetAsync(name, changeSetName, cancellationToken).ConfigureAwait(false);
            if (changeSet.Status is not ("CREATE_PENDING" or "CREATE_IN_PROGRESS"))
                return changeSet;
            if (_time.GetUtcNow() > deadline)
                throw new StackDeploymentException($"Change set {changeSetName} of stack {name} was still {changeSet.Status} after {deployment.Timeout}; look at it in the CloudFormation console and rerun.");
            await Task.Delay(deployment.PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<StackSummary> WaitForStackAsync(string name, HashSet<string> seen, StackDeployment deployment, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + deployment.Timeout;
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
                throw new StackDeploymentException($"Stack {name} was still {stack.Status} after {deployment.Timeout}; CloudFormation goes on without us: follow it with aws cloudformation describe-stack-events --stack-name {name}.");
            await Task.Delay(deployment.PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<List<StackEvent>> NewEventsAsync(string name, HashSet<string> seen, CancellationToken cancellationToken) =>
        (await client.DescribeStackEventsAsync(name, cancellationToken).ConfigureAwait(false))
            .Where(e => !seen.Contains(e.EventId)).OrderBy(e => e.Timestamp).ToList();

    private async Task DiscardAsync(string name, string changeSetName, bool stackWasMadeForIt, CancellationToken cancellationToken)
    {
        await client.DeleteChangeSetAsync(name, changeSetName, cancellationToken).ConfigureAwait(false);
        // A CREATE change set makes an empty stack (REVIEW_IN_PROGRESS); leave the account as it was.
        if (stackWasMadeForIt)
            await client.DeleteStackAsync(name, cancellationToken).ConfigureAwait(false);
    }
}
