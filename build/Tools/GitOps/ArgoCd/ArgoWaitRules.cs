namespace CloudAge.Tools.GitOps.ArgoCd;

/// <summary>When an ArgoSync is done or lost, decided from one status read; the success rule is `argocd app wait`'s.</summary>
internal static class ArgoWaitRules
{
    public static bool IsDone(ApplicationStatus status, string revision) => IsDone(status, r => RevisionMatches(r, revision));

    /// <param name="deploys">Whether a commit Argo CD reports deploys ours: the commit itself or a later one containing it.</param>
    public static bool IsDone(ApplicationStatus status, Func<string?, bool> deploys) =>
        status is { SyncStatus: "Synced", HealthStatus: "Healthy", OperationPending: false, Operation: { Phase: "Succeeded", FinishedAt: { } finished } }
        && deploys(status.SyncRevision)
        // An operation that landed on an older commit is not ours, even while the comparison already shows a newer one.
        && (status.Operation.SyncRevision is null || deploys(status.Operation.SyncRevision))
        // Health read before the controller reconciled after the sync describes the old objects.
        && status.ReconciledAt is { } reconciled && reconciled >= finished;

    /// <returns>Why the sync failed, or null while it may still succeed.</returns>
    public static string? Failure(ApplicationStatus status, string revision) => Failure(status, r => RevisionMatches(r, revision));

    /// <returns>Why the sync failed, or null while it may still succeed. Only an operation on our commit (or a later one)
    /// can fail the deploy; one that ended on an older commit leaves us waiting for the next.</returns>
    public static string? Failure(ApplicationStatus status, Func<string?, bool> deploys)
    {
        if (status.OperationPending || status.Operation is not { } operation)
            return null;
        var revision = operation.SyncRevision ?? status.OperationRevision;
        var ours = revision is null || deploys(revision);
        if (ours && operation.Phase is "Failed" or "Error")
            return $"the sync operation ended {operation.Phase}" + (string.IsNullOrEmpty(operation.Message) ? "" : $": {operation.Message}");
        if (ours && operation is { Phase: "Succeeded", FinishedAt: { } finished } && status.ReconciledAt >= finished
            && status.HealthStatus == "Degraded" && deploys(status.SyncRevision))
            return "the application is Degraded" + (string.IsNullOrEmpty(status.HealthMessage) ? "" : $": {status.HealthMessage}");
        return null;
    }

    /// <summary>Argo CD reports full commit SHAs; a short SHA given by the caller matches its prefix.</summary>
    public static bool RevisionMatches(string? actual, string wanted) =>
        actual is not null && (string.Equals(actual, wanted, StringComparison.OrdinalIgnoreCase)
            || (wanted.Length >= 7 && actual.StartsWith(wanted, StringComparison.OrdinalIgnoreCase)));

    /// <summary>One line that changes exactly when something worth telling changes.</summary>
    public static string Describe(ApplicationStatus status)
    {
        var revision = status.SyncRevision is { Length: > 0 } r ? $" at {r[..Math.Min(r.Length, 12)]}" : "";
        var health = status.HealthMessage is { Length: > 0 } m ? $"{status.HealthStatus} ({m})" : status.HealthStatus;
        var operation = status.OperationPending ? "requested" : status.Operation?.Phase ?? "none";
        // While it runs, the controller says what holds it there: a sync window, a hook it waits for, the next retry
        // (controller/sync.go, SyncAppState; controller/appcontroller.go, processRequestedAppOperation).
        if (status.Operation is { Phase: "Running" or "Terminating", Message: { Length: > 0 } held })
            operation = $"{status.Operation.Phase} ({CloudAge.Common.Text.PeerText.OneLine(held, 300)})";
        return $"sync {status.SyncStatus}{revision}, health {health}, operation {operation}";
    }

    /// <summary>The resources that are not healthy or synced, with Argo CD's messages, one per line.</summary>
    public static IReadOnlyList<string> UnhealthyResources(ApplicationStatus status)
    {
        var lines = new List<string>();
        foreach (var r in status.Resources)
        {
            var unhealthy = r.HealthStatus is not null and not "Healthy";
            if (!unhealthy && r.SyncStatus is null or "Synced")
                continue;
            var health = r.HealthStatus is null ? "" : $"health {r.HealthStatus}" + (string.IsNullOrEmpty(r.HealthMessage) ? "" : $" ({r.HealthMessage})");
            lines.Add($"{Name(r.Kind, r.Namespace, r.Name)}: {string.Join(", ", new[] { health, $"sync {r.SyncStatus ?? "Unknown"}" }.Where(p => p.Length > 0))}");
        }
        foreach (var r in status.Operation?.SyncResults ?? [])
        {
            if (r.Status is null or "Synced" or "Pruned")
                continue;
            lines.Add($"{Name(r.Kind, r.Namespace, r.Name)}: sync result {r.Status}" + (string.IsNullOrEmpty(r.Message) ? "" : $" ({r.Message})"));
        }
        return lines;
    }

    private static string Name(string kind, string? ns, string name) => string.IsNullOrEmpty(ns) ? $"{kind} {name}" : $"{kind} {ns}/{name}";
}
