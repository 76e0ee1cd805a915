using System.Diagnostics;

namespace CloudAge.Tools.GitOps.ArgoCd;

/// <summary>Whether <paramref name="candidate"/> (a commit Argo CD reports) deploys <paramref name="commit"/>: it is that
/// commit or a later one that contains it (<c>git merge-base --is-ancestor commit candidate</c>).</summary>
public delegate Task<bool> CommitContains(string candidate, string commit, CancellationToken cancellationToken);

/// <summary>What to sync and how long to wait for it.</summary>
public sealed record ArgoSyncRequest(string Application, string Revision)
{
    public bool Prune { get; init; }
    /// <summary>For the whole sync: waiting for an earlier operation, the sync itself and the health checks.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Under auto-sync, how long to let the controller start its own operation after the refresh before
    /// asking for a sync (without a revision) ourselves.</summary>
    public TimeSpan AutoSyncGrace { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How often to ask for a refresh again while Argo CD still compares an older commit.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Tells whether a later commit contains <see cref="Revision"/>; without it only the commit itself counts.</summary>
    public CommitContains? Contains { get; init; }
}

/// <summary>The application is Synced at <see cref="Revision"/> (the bump commit or a later one containing it), Healthy and
/// reconciled after the sync.</summary>
public sealed record ArgoSyncResult(string Application, string Revision, TimeSpan Elapsed, ApplicationStatus Status);

/// <summary>
/// ArgoSync, following the rules of the real Argo CD API server and controller (argoproj/argo-cd):
/// <list type="bullet">
/// <item>Reads the Application first (with a refresh, so the controller compares git again).</item>
/// <item>Under an automated policy the API server refuses a revision other than targetRevision
/// (server/application/application.go, resolveSourceRevisions, called from Sync), and the controller starts its own
/// operation once the refresh sees the new commit (controller/appcontroller.go, autoSync, called from processAppRefreshQueueItem).
/// So the syncer waits for that operation and asks for a sync without a revision (resolved to the branch head by
/// resolveRevision) only when none starts within <see cref="ArgoSyncRequest.AutoSyncGrace"/>.</item>
/// <item>Under a manual policy it syncs to the exact revision.</item>
/// <item>"another operation is already in progress" (util/argo/argo.go, SetAppOperation) means wait and ask again.</item>
/// <item>Success is `argocd app wait`'s rule, at the bump commit or a later commit containing it; an operation that lands
/// on an older commit is not success.</item>
/// </list>
/// One progress line per state change; failures throw <see cref="ArgoSyncFailedException"/>.
/// </summary>
public sealed class ArgoSyncer(IArgoApplicationApi api, Action<string> log)
{
    public async Task<ArgoSyncResult> SyncAsync(ArgoSyncRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clock = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(request.Timeout);
        var progress = new Progress(request.Application, log);
        var deploys = new Ancestry(request);
        try
        {
            log($"Argo CD application '{request.Application}' via {api.Endpoint}: refreshing, then deploying {Short(request.Revision)}.");
            var status = await api.GetAsync(request.Application, refresh: true, deadline.Token);
            if (status.UnfollowableSource is { } why)
                throw new ArgoSyncFailedException(
                    $"Argo CD application '{request.Application}' {why}, so ArgoSync cannot tell when it runs {Short(request.Revision)}: " +
                    "it follows an Application with one spec.source, as argocd/application.yaml has. Give the manifests of k8s/ " +
                    "such an Application, or sync this one with the argocd CLI.", status);
            progress.Report(status);
            var automated = status.AutomatedSync;
            log(automated
                ? $"Argo CD application '{request.Application}' auto-syncs {status.TargetRevision}: waiting for its own sync of {Short(request.Revision)} (never pinning a revision)."
                : $"Argo CD application '{request.Application}' syncs manually: requesting a sync to {Short(request.Revision)}.");
            var started = false;
            var waitingLogged = false;
            var lastRefresh = clock.Elapsed;
            while (true)
            {
                await deploys.LearnAsync(status, deadline.Token);
                if (ArgoWaitRules.IsDone(status, deploys.Deploys))
                {
                    var at = status.SyncRevision ?? request.Revision;
                    var later = ArgoWaitRules.RevisionMatches(at, request.Revision) ? "" : $" (a later commit containing {Short(request.Revision)})";
                    log($"Argo CD application '{request.Application}' is Synced at {Short(at)}{later} and Healthy ({clock.Elapsed.TotalSeconds:0} s).");
                    return new ArgoSyncResult(request.Application, at, clock.Elapsed, status);
                }
                // Before our sync starts, a failure on record belongs to an earlier attempt; the new operation replaces it.
                if (started && ArgoWaitRules.Failure(status, deploys.Deploys) is { } reason)
                    throw Failed(request, reason, status);

                var inFlight = status.OperationPending || status.Operation is { Phase: "Running" or "Terminating" };
                if (!started && inFlight && deploys.Deploys(status.OperationRevision ?? status.Operation?.SyncRevision))
                {
                    started = true;
                    log($"Argo CD application '{request.Application}': {(automated ? "the controller's auto-sync" : "an operation")} is deploying {Short(request.Revision)}; waiting for it.");
                }
                // A busy Argo CD refuses; that is a wait, not a failure (the request is repeated on the next poll).
                else if (!started && (!automated || clock.Elapsed >= request.AutoSyncGrace))
                {
                    if (automated)
                        log($"Argo CD application '{request.Application}': no auto-sync started within {request.AutoSyncGrace.TotalSeconds:0} s; requesting a sync of {status.TargetRevision}.");
                    var outcome = await api.SyncAsync(request.Application, automated ? null : request.Revision, request.Prune, deadline.Token);
                    if (outcome == SyncRequestOutcome.Accepted)
                    {
                        started = true;
                        if (automated)
                            deploys.Requested(status.TargetRevision);
                        log($"Argo CD application '{request.Application}': requested a sync to {(automated ? status.TargetRevision : Short(request.Revision))}{(request.Prune ? " with prune" : "")}.");
                    }
                    else if (!waitingLogged)
                    {
                        waitingLogged = true;
                        log($"Argo CD application '{request.Application}': another operation is in progress; waiting for it to finish before syncing.");
                    }
                }

                await Task.Delay(request.PollInterval, deadline.Token);
                // The controller only sees the pushed commit after a refresh; ask again while it still compares an older one.
                var refresh = !inFlight && !deploys.Deploys(status.SyncRevision) && clock.Elapsed - lastRefresh >= request.RefreshInterval;
                if (refresh)
                    lastRefresh = clock.Elapsed;
                status = await api.GetAsync(request.Application, refresh, deadline.Token);
                progress.Report(status);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Nothing read at all: the server never answered, which says nothing about the application's resources.
            throw progress.Last is null
                ? new ArgoSyncFailedException($"Argo CD application '{request.Application}' did not become Synced and Healthy at {request.Revision}: timed out after " +
                    $"{request.Timeout.TotalSeconds:0} s, in which {api.Endpoint} answered no read of the application. Check that it is up and reachable from here, " +
                    "or give it longer with --sync-timeout.", null)
                : Failed(request, $"timed out after {request.Timeout.TotalSeconds:0} s", progress.Last);
        }
    }

    private static string Short(string revision) => revision.Length > 12 ? revision[..12] : revision;

    private static ArgoSyncFailedException Failed(ArgoSyncRequest request, string reason, ApplicationStatus? status)
    {
        var state = status is null ? "no status was read" : "last state: " + ArgoWaitRules.Describe(status);
        var resources = status is null ? [] : ArgoWaitRules.UnhealthyResources(status);
        var list = resources.Count == 0
            ? " Argo CD listed no unhealthy or unsynced resource."
            : Environment.NewLine + "Resources not healthy or synced:" + string.Concat(resources.Select(r => Environment.NewLine + "  - " + r));
        return new ArgoSyncFailedException(
            $"Argo CD application '{request.Application}' did not become Synced and Healthy at {request.Revision}: {reason} ({state}).{list}", status);
    }

    /// <summary>Which reported commits deploy ours, asked once per commit (the answer does not change).</summary>
    private sealed class Ancestry(ArgoSyncRequest request)
    {
        private readonly Dictionary<string, bool> _known = new(StringComparer.OrdinalIgnoreCase);
        private string? _branch;

        public bool Deploys(string? revision) =>
            revision is not null && (ArgoWaitRules.RevisionMatches(revision, request.Revision) || _known.GetValueOrDefault(revision)
                || string.Equals(revision, _branch, StringComparison.Ordinal));

        /// <summary>We asked for a sync of <paramref name="branch"/> after our commit was pushed to it, so an operation that
        /// still names the branch is ours: the controller keeps the revision as written into .operation and records the
        /// commit only in syncResult.revision, which stays the branch name when the operation ends before it resolved one
        /// (controller/sync.go, newSyncOperationResult and SyncAppState: a manifest generation error).</summary>
        public void Requested(string branch) => _branch = branch;

        public async Task LearnAsync(ApplicationStatus status, CancellationToken cancellationToken)
        {
            if (request.Contains is null)
                return;
            foreach (var revision in new[] { status.SyncRevision, status.Operation?.SyncRevision, status.OperationRevision })
            {
                // Only full commit hashes can be ordered; a branch name in a pending operation is resolved later.
                if (revision is not { Length: 40 } || _known.ContainsKey(revision) || ArgoWaitRules.RevisionMatches(revision, request.Revision))
                    continue;
                _known[revision] = await request.Contains(revision, request.Revision, cancellationToken);
            }
        }
    }

    private sealed class Progress(string application, Action<string> log)
    {
        private string? _line;

        public ApplicationStatus? Last { get; private set; }

        public void Report(ApplicationStatus status)
        {
            Last = status;
            var line = ArgoWaitRules.Describe(status);
            if (line == _line)
                return;
            _line = line;
            log($"Argo CD application '{application}': {line}");
        }
    }
}
