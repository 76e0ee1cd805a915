using System.Diagnostics;

namespace CloudAge.Tools.GitOps.ArgoCd;

/// <summary>What to sync and how long to wait for it.</summary>
public sealed record ArgoSyncRequest(string Application, string Revision)
{
    public bool Prune { get; init; }
    /// <summary>For the whole sync: waiting for an earlier operation, the sync itself and the health checks.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>The application is Synced at <see cref="Revision"/>, Healthy and reconciled after the sync.</summary>
public sealed record ArgoSyncResult(string Application, string Revision, TimeSpan Elapsed, ApplicationStatus Status);

/// <summary>
/// ArgoSync: refresh, request a sync to the bumped revision (waiting while another operation runs), then wait as
/// <c>argocd app wait</c> does. One progress line per state change; failures throw <see cref="ArgoSyncFailedException"/>.
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
        try
        {
            log($"Argo CD application '{request.Application}' via {api.Endpoint}: refreshing, then syncing to {request.Revision}.");
            progress.Report(await api.GetAsync(request.Application, refresh: true, deadline.Token));
            await RequestSyncAsync(request, progress, deadline.Token);
            while (true)
            {
                var status = await api.GetAsync(request.Application, refresh: false, deadline.Token);
                progress.Report(status);
                if (ArgoWaitRules.IsDone(status, request.Revision))
                {
                    log($"Argo CD application '{request.Application}' is Synced at {request.Revision} and Healthy ({clock.Elapsed.TotalSeconds:0} s).");
                    return new ArgoSyncResult(request.Application, status.SyncRevision ?? request.Revision, clock.Elapsed, status);
                }
                if (ArgoWaitRules.Failure(status, request.Revision) is { } reason)
                    throw Failed(request, reason, status);
                await Task.Delay(request.PollInterval, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Failed(request, $"timed out after {request.Timeout.TotalSeconds:0} s", progress.Last);
        }
    }

    private async Task RequestSyncAsync(ArgoSyncRequest request, Progress progress, CancellationToken cancellationToken)
    {
        var waiting = false;
        while (await api.SyncAsync(request.Application, request.Revision, request.Prune, cancellationToken) != SyncRequestOutcome.Accepted)
        {
            if (!waiting)
                log($"Argo CD application '{request.Application}': another operation is in progress; waiting for it to finish before syncing.");
            waiting = true;
            await Task.Delay(request.PollInterval, cancellationToken);
            progress.Report(await api.GetAsync(request.Application, refresh: false, cancellationToken));
        }
        log($"Argo CD application '{request.Application}': requested a sync to {request.Revision}{(request.Prune ? " with prune" : "")}.");
    }

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
