using CloudAge.Common.Processes;
using CloudAge.Common.Secrets;
using CloudAge.Tools.GitOps.ArgoCd;
using CloudAge.Tools.GitOps.Git;
using CloudAge.Tools.GitOps.Tests.Fakes;
using CloudAge.Tools.GitOps.Tests.Fixtures;

namespace CloudAge.Tools.GitOps.Tests.ArgoCd;

/// <summary>ArgoSync against the in-process Argo CD fake (REST) and Kubernetes API fake (Application resource), scripted over time.</summary>
public sealed class ArgoSyncTests
{
    private static readonly FakeResource ConfigMap = new("ConfigMap", "cloudage-config", "Healthy");

    [Theory]
    [InlineData(ArgoTransport.Rest)]
    [InlineData(ArgoTransport.Kubernetes)]
    public async Task Auto_sync_after_the_refresh_starts_the_operation_by_itself_and_the_syncer_waits_for_it(ArgoTransport transport)
    {
        await using var argo = await ArgoHarness.StartAsync(transport);
        argo.App.AfterSync.AddRange([
            new("OutOfSync", "Healthy", "Running"), new("OutOfSync", "Healthy", "Running"),
            new("Synced", "Progressing", "Succeeded") { HealthMessage = "Waiting for rollout to finish" },
            new("Synced", "Progressing", "Succeeded") { HealthMessage = "Waiting for rollout to finish" },
            new("Synced", "Progressing", "Succeeded") { HealthMessage = "Waiting for rollout to finish" },
            new("Synced", "Healthy", "Succeeded"),
        ]);

        var result = await argo.Syncer.SyncAsync(ArgoHarness.Request());

        Assert.Equal(ArgoHarness.Revision, result.Revision);
        Assert.True(argo.App.StartedByAutoSync, "the operation was not the controller's auto-sync");
        // Under auto-sync nothing is requested: the controller's operation deploys the commit.
        Assert.Empty(argo.App.SyncRequests);
        Assert.Equal(0, argo.App.PinnedRefusals);
        Assert.True(argo.App.Refreshes >= 1, "the application was not refreshed, so the controller never saw the commit");
        Assert.Contains(argo.Output, l => l.Contains("the controller's auto-sync is deploying"));
        // One line per state change (initial OutOfSync, Running, Progressing, Healthy), not one per read.
        Assert.Equal(4, argo.StateLines().Count);
        Assert.True(argo.App.Reads > argo.StateLines().Count);
        Assert.Contains("health Healthy", argo.StateLines()[^1]);
        argo.AssertTokenNeverShown();
    }

    [Theory]
    [InlineData(ArgoTransport.Rest, null)]
    [InlineData(ArgoTransport.Kubernetes, "main")]
    public async Task Auto_sync_that_does_not_start_within_the_grace_gets_a_sync_without_a_pinned_revision(ArgoTransport transport, string? sent)
    {
        await using var argo = await ArgoHarness.StartAsync(transport);
        argo.App.AutoSyncOnRefresh = false;
        argo.App.AfterSync.AddRange([new("OutOfSync", "Healthy", "Running"), new("Synced", "Healthy", "Succeeded")]);

        await argo.Syncer.SyncAsync(ArgoHarness.Request() with { AutoSyncGrace = TimeSpan.FromMilliseconds(300) });

        Assert.Equal([sent], argo.App.SyncRequests);
        // targetRevision "main" resolved to the branch head (server/application/application.go, resolveRevision).
        Assert.Equal(argo.App.BranchHead, argo.App.RequestedRevision);
        Assert.Equal(0, argo.App.PinnedRefusals);
        Assert.Contains(argo.Output, l => l.Contains("no auto-sync started within 0 s; requesting a sync of main"));
    }

    [Fact]
    public async Task The_fake_refuses_a_pinned_revision_under_auto_sync_as_Argo_CD_does()
    {
        await using var argo = await ArgoHarness.StartAsync(ArgoTransport.Rest);

        var refusal = await Assert.ThrowsAsync<ArgoCdException>(() => argo.Api.SyncAsync("cloudage", ArgoHarness.Revision, prune: false));

        Assert.Contains($"Cannot sync to {ArgoHarness.Revision}: auto-sync currently set to main", refusal.Message);
        Assert.Contains("let auto-sync deploy it", refusal.Message);
        Assert.Equal(1, argo.App.PinnedRefusals);
        Assert.False(argo.App.SyncAccepted);
    }

    [Theory]
    [InlineData(ArgoTransport.Rest)]
    [InlineData(ArgoTransport.Kubernetes)]
    public async Task Manual_policy_syncs_to_the_exact_revision(ArgoTransport transport)
    {
        await using var argo = await ArgoHarness.StartAsync(transport);
        argo.App.Automated = false;
        // The branch moved on; a manual sync still deploys exactly the bump commit.
        argo.App.BranchHead = "1111111111111111111111111111111111111111";
        argo.App.AfterSync.AddRange([new("OutOfSync", "Healthy", "Running"), new("Synced", "Healthy", "Succeeded")]);

        var result = await argo.Syncer.SyncAsync(ArgoHarness.Request());

        Assert.Equal([ArgoHarness.Revision], argo.App.SyncRequests);
        Assert.Equal(ArgoHarness.Revision, argo.App.RequestedRevision);
        Assert.False(argo.App.StartedByAutoSync);
        Assert.False(argo.App.RequestedPrune);
        Assert.Equal(ArgoHarness.Revision, result.Revision);
    }

    [Theory]
    [InlineData(ArgoTransport.Rest, false)]
    [InlineData(ArgoTransport.Kubernetes, false)]
    [InlineData(ArgoTransport.Rest, true)]
    [InlineData(ArgoTransport.Kubernetes, true)]
    public async Task Sync_waits_while_another_operation_is_in_progress_then_syncs(ArgoTransport transport, bool automated)
    {
        await using var argo = await ArgoHarness.StartAsync(transport);
        argo.App.Automated = automated;
        argo.App.AutoSyncOnRefresh = false;
        argo.App.BranchHead = ArgoHarness.Revision;
        argo.App.BusyReads = 6;
        argo.App.AfterSync.AddRange([new("OutOfSync", "Healthy", "Running"), new("Synced", "Healthy", "Succeeded")]);

        await argo.Syncer.SyncAsync(ArgoHarness.Request() with { AutoSyncGrace = TimeSpan.Zero });

        Assert.Equal(ArgoHarness.Revision, argo.App.RequestedRevision);
        Assert.Single(argo.Output, l => l.Contains("another operation is in progress; waiting"));
        // The Kubernetes API server would store an operation written over the running one: the client must never send it.
        Assert.Equal(0, argo.App.OperationsOverwritten);
        if (transport == ArgoTransport.Rest)
            Assert.True(argo.App.SyncRefusals >= 1, "the REST sync was never refused, so the wait path was not taken");
        Assert.Equal(0, argo.App.BusyReads);
        Assert.Equal(0, argo.App.PinnedRefusals);
    }

    [Theory]
    [InlineData(ArgoTransport.Rest)]
    [InlineData(ArgoTransport.Kubernetes)]
    public async Task Auto_sync_waits_for_an_earlier_operation_then_the_controller_deploys_the_commit(ArgoTransport transport)
    {
        await using var argo = await ArgoHarness.StartAsync(transport);
        argo.App.BusyReads = 5;
        argo.App.AfterSync.AddRange([new("OutOfSync", "Healthy", "Running"), new("Synced", "Healthy", "Succeeded")]);

        await argo.Syncer.SyncAsync(ArgoHarness.Request());

        Assert.True(argo.App.StartedByAutoSync);
        Assert.Empty(argo.App.SyncRequests);
        Assert.Equal(0, argo.App.BusyReads);
    }

    [Theory]
    [InlineData(ArgoTransport.Rest)]
    [InlineData(ArgoTransport.Kubernetes)]
    public async Task A_later_commit_of_the_branch_that_contains_the_bump_is_success(ArgoTransport transport)
    {
        // Real git orders the commits: the bump, then another developer's commit on top of it.
        await using var git = await GitSandbox.CreateAsync(new Dictionary<string, string> { ["README.md"] = "one\n" });
        var unrelated = await git.GitAsync(git.Clone, "rev-parse", "HEAD");
        var bump = await git.PushChangeAsync("k8s/deployment.yaml", "image: x:sha-1\n", "bump");
        var later = await git.PushChangeAsync("README.md", "two\n", "later");
        await using var argo = await ArgoHarness.StartAsync(transport);
        argo.App.BranchHead = later;
        argo.App.AfterSync.AddRange([new("OutOfSync", "Healthy", "Running"), new("Synced", "Healthy", "Succeeded")]);
        var ancestry = new GitAncestry(new ProcessRunner(new SecretMasker(), _ => { }), git.Clone, GitSandbox.Branch, _ => { });

        var result = await argo.Syncer.SyncAsync(ArgoHarness.Request() with { Revision = bump, Contains = ancestry.ContainsAsync });

        Assert.Equal(later, result.Revision);
        Assert.Contains(argo.Output, l => l.Contains("a later commit containing"));
        // The clone did not have the later commit: it was fetched to order it. An older commit does not contain the bump.
        Assert.True(await ancestry.ContainsAsync(later, bump, default));
        Assert.False(await ancestry.ContainsAsync(unrelated, bump, default));
    }

    [Theory]
    [InlineData(ArgoTransport.Rest)]
    [InlineData(ArgoTransport.Kubernetes)]
    public async Task An_operation_that_lands_on_an_older_commit_is_not_success_and_times_out(ArgoTransport transport)
    {
        await using var argo = await ArgoHarness.StartAsync(transport);
        // The controller synced what it saw before the push: Synced, Healthy, finished, but at the old commit.
        argo.App.BranchHead = FakeApplication.OldRevision;
        argo.App.AfterSync.AddRange([new("OutOfSync", "Healthy", "Running"), new("Synced", "Healthy", "Succeeded")]);
        await argo.Api.GetAsync("cloudage", refresh: false);
        var asked = new List<string>();

        var failure = await Assert.ThrowsAsync<ArgoSyncFailedException>(() => argo.Syncer.SyncAsync(ArgoHarness.Request(TimeSpan.FromSeconds(3)) with
        {
            Contains = (candidate, commit, _) => { asked.Add(candidate); return Task.FromResult(false); },
        }));

        Assert.Contains("timed out after 3 s", failure.Message);
        Assert.Equal("Synced", failure.LastStatus?.SyncStatus);
        Assert.Equal(FakeApplication.OldRevision, failure.LastStatus?.SyncRevision);
        Assert.Contains(FakeApplication.OldRevision, asked);
        // It kept refreshing so the controller would see the new commit.
        Assert.True(argo.App.Refreshes >= 2, $"refreshed {argo.App.Refreshes} time(s)");
    }

    [Theory]
    [InlineData(ArgoTransport.Rest)]
    [InlineData(ArgoTransport.Kubernetes)]
    public async Task Sync_fails_naming_the_Degraded_resource_and_its_message(ArgoTransport transport)
    {
        await using var argo = await ArgoHarness.StartAsync(transport);
        argo.App.AfterSync.AddRange([
            new("OutOfSync", "Progressing", "Running"),
            new("Synced", "Degraded", "Succeeded")
            {
                HealthMessage = "Deployment \"cloudage\" exceeded its progress deadline",
                Resources = [new("Deployment", "cloudage", "Degraded", "Deployment \"cloudage\" exceeded its progress deadline"), ConfigMap],
            },
        ]);

        var failure = await Assert.ThrowsAsync<ArgoSyncFailedException>(() => argo.Syncer.SyncAsync(ArgoHarness.Request()));

        Assert.Contains("the application is Degraded", failure.Message);
        Assert.Contains("Deployment cloudage/cloudage: health Degraded (Deployment \"cloudage\" exceeded its progress deadline)", failure.Message);
        Assert.DoesNotContain("cloudage-config", failure.Message);
        Assert.Equal("Degraded", failure.LastStatus?.HealthStatus);
        argo.AssertTokenNeverShown(failure);
    }

    [Theory]
    [InlineData(ArgoTransport.Rest)]
    [InlineData(ArgoTransport.Kubernetes)]
    public async Task Sync_fails_when_the_operation_failed_with_each_resource_result(ArgoTransport transport)
    {
        await using var argo = await ArgoHarness.StartAsync(transport);
        argo.App.AfterSync.AddRange([
            new("OutOfSync", "Healthy", "Running"),
            new("OutOfSync", "Healthy", "Failed")
            {
                OperationMessage = "one or more objects failed to apply",
                Resources = [new("Deployment", "cloudage", "Healthy") { Sync = "OutOfSync", SyncResult = "SyncFailed", SyncMessage = "admission webhook denied the request" }],
            },
        ]);

        var failure = await Assert.ThrowsAsync<ArgoSyncFailedException>(() => argo.Syncer.SyncAsync(ArgoHarness.Request()));

        Assert.Contains("the sync operation ended Failed: one or more objects failed to apply", failure.Message);
        Assert.Contains("Deployment cloudage/cloudage: sync result SyncFailed (admission webhook denied the request)", failure.Message);
        Assert.Contains("Deployment cloudage/cloudage: health Healthy, sync OutOfSync", failure.Message);
    }

    [Fact]
    public async Task Our_sync_of_the_branch_that_errors_before_resolving_a_commit_fails_at_once_over_the_Kubernetes_API()
    {
        // Through the Kubernetes API the requested operation names the branch; when the controller cannot even generate
        // the manifests, the operation ends Error with syncResult.revision still "main" (controller/sync.go, SyncAppState).
        await using var argo = await ArgoHarness.StartAsync(ArgoTransport.Kubernetes);
        argo.App.AutoSyncOnRefresh = false;
        argo.App.AfterSync.AddRange([
            new("OutOfSync", "Healthy", "Running"),
            new("Unknown", "Healthy", "Error") { Unresolved = true, OperationMessage = "rpc error: code = Unknown desc = kustomize build failed" },
        ]);

        var failure = await Assert.ThrowsAsync<ArgoSyncFailedException>(() => argo.Syncer.SyncAsync(ArgoHarness.Request(TimeSpan.FromSeconds(10)) with
        {
            AutoSyncGrace = TimeSpan.FromMilliseconds(300),
        }));

        Assert.Equal(["main"], argo.App.SyncRequests);
        Assert.Contains("the sync operation ended Error: rpc error: code = Unknown desc = kustomize build failed", failure.Message);
        Assert.DoesNotContain("timed out", failure.Message);
    }

    [Theory]
    [InlineData(ArgoTransport.Rest, "sources", "has 2 source(s) under spec.sources")]
    [InlineData(ArgoTransport.Kubernetes, "sources", "has 2 source(s) under spec.sources")]
    [InlineData(ArgoTransport.Rest, "sourceHydrator", "deploys through a source hydrator (spec.sourceHydrator)")]
    public async Task An_application_whose_deployed_commit_is_not_one_revision_of_the_branch_is_refused_at_once(ArgoTransport transport, string shape, string said)
    {
        // Its status carries no single sync revision (or the hydrator's commits), so waiting would only ever time out.
        await using var argo = await ArgoHarness.StartAsync(transport);
        argo.App.SourceShape = shape;
        argo.App.AutoSyncOnRefresh = false;

        var failure = await Assert.ThrowsAsync<ArgoSyncFailedException>(() => argo.Syncer.SyncAsync(ArgoHarness.Request(TimeSpan.FromSeconds(10))));

        Assert.Contains($"Argo CD application 'cloudage' {said}", failure.Message);
        Assert.Contains("one spec.source", failure.Message);
        Assert.DoesNotContain("timed out", failure.Message);
        Assert.Empty(argo.App.SyncRequests);
    }

    [Fact]
    public async Task A_sync_through_the_Kubernetes_API_clears_an_operation_state_left_in_progress_as_the_API_server_does()
    {
        // A stuck operation removed by hand (.operation deleted) leaves status.operationState Running at an older commit;
        // the controller would resume that one instead of ours unless the write clears it.
        await using var argo = await ArgoHarness.StartAsync(ArgoTransport.Kubernetes);
        argo.App.Automated = false;
        argo.App.Initial = new("OutOfSync", "Healthy", "Running") { Revision = FakeApplication.OldRevision, Pending = false };
        argo.App.AfterSync.AddRange([new("OutOfSync", "Healthy", "Running"), new("Synced", "Healthy", "Succeeded")]);

        var result = await argo.Syncer.SyncAsync(ArgoHarness.Request(TimeSpan.FromSeconds(8)));

        Assert.False(argo.App.ResumedStaleOperation, "the controller resumed the operation left in status.operationState");
        Assert.Equal(ArgoHarness.Revision, argo.App.RequestedRevision);
        Assert.Equal(ArgoHarness.Revision, result.Revision);
    }

    [Theory]
    [InlineData(ArgoTransport.Rest)]
    [InlineData(ArgoTransport.Kubernetes)]
    public async Task An_operation_held_by_the_controller_says_why_while_waiting_and_when_timing_out(ArgoTransport transport)
    {
        // controller/sync.go, SyncAppState: an operation a deny window blocks stays Running with this message (the
        // Kubernetes path writes .operation without the API server's window check; a window may also open mid-operation).
        await using var argo = await ArgoHarness.StartAsync(transport);
        argo.App.Automated = false;
        argo.App.AfterSync.Add(new("OutOfSync", "Healthy", "Running") { OperationMessage = "Sync operation blocked by sync window" });
        await argo.Api.GetAsync("cloudage", refresh: false);

        var failure = await Assert.ThrowsAsync<ArgoSyncFailedException>(() => argo.Syncer.SyncAsync(ArgoHarness.Request(TimeSpan.FromSeconds(3))));

        Assert.Contains("timed out after 3 s", failure.Message);
        Assert.Contains("operation Running (Sync operation blocked by sync window)", failure.Message);
        Assert.Contains(argo.StateLines(), l => l.EndsWith("operation Running (Sync operation blocked by sync window)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_saying_so_not_that_no_resource_was_unhealthy()
    {
        // Accepts the connection and never answers, as a hung server or a proxy holding the request does.
        await using var server = await FakeHttpServer.StartAsync(context => Task.Delay(Timeout.Infinite, context.RequestAborted));
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var api = new ArgoRestApi(new ArgoServerOptions(server.BaseAddress.ToString(), "argo-token-hung") { Retry = ArgoHarness.FastRetry }, new SecretMasker(), output.Enqueue);

        var failure = await Assert.ThrowsAsync<ArgoSyncFailedException>(() => new ArgoSyncer(api, output.Enqueue).SyncAsync(ArgoHarness.Request(TimeSpan.FromSeconds(3))));

        Assert.Contains($"timed out after 3 s, in which {api.Endpoint} answered no read of the application. Check that it is up and reachable from here", failure.Message);
        Assert.DoesNotContain("listed no unhealthy or unsynced resource", failure.Message);
        Assert.Null(failure.LastStatus);
    }

    [Theory]
    [InlineData(ArgoTransport.Rest)]
    [InlineData(ArgoTransport.Kubernetes)]
    public async Task Sync_times_out_listing_what_never_became_healthy(ArgoTransport transport)
    {
        await using var argo = await ArgoHarness.StartAsync(transport);
        argo.App.AfterSync.Add(new("Synced", "Progressing", "Succeeded")
        {
            Resources = [new("Deployment", "cloudage", "Progressing", "Waiting for rollout to finish: 0 of 2 updated replicas are available..."), ConfigMap],
        });
        // Outside the timed sync: a client's first call compiles its serializers, seconds on a loaded 2-core machine.
        await argo.Api.GetAsync("cloudage", refresh: false);

        var failure = await Assert.ThrowsAsync<ArgoSyncFailedException>(() => argo.Syncer.SyncAsync(ArgoHarness.Request(TimeSpan.FromSeconds(8))));

        Assert.Contains("timed out after 8 s", failure.Message);
        Assert.Contains("Deployment cloudage/cloudage: health Progressing (Waiting for rollout to finish: 0 of 2 updated replicas are available...)", failure.Message);
        Assert.True(argo.App.ReadsAfterSync >= 2, "the syncer gave up without polling");
    }

    [Theory]
    [InlineData(ArgoTransport.Rest)]
    [InlineData(ArgoTransport.Kubernetes)]
    public async Task Sync_is_not_done_while_Healthy_was_read_before_the_controller_reconciled_the_sync(ArgoTransport transport)
    {
        await using var argo = await ArgoHarness.StartAsync(transport);
        argo.App.AfterSync.AddRange([
            new("Synced", "Healthy", "Succeeded") { ReconciledAfterFinish = false },
            new("Synced", "Healthy", "Succeeded") { ReconciledAfterFinish = false },
            new("Synced", "Healthy", "Succeeded") { ReconciledAfterFinish = false, Pending = true },
            new("Synced", "Healthy", "Succeeded"),
        ]);

        await argo.Syncer.SyncAsync(ArgoHarness.Request());

        // Success came only from the last scripted state.
        Assert.Equal(4, argo.App.ReadsAfterSync);
    }

    [Theory]
    [InlineData(ArgoTransport.Rest)]
    [InlineData(ArgoTransport.Kubernetes)]
    public async Task Sync_retries_server_errors_until_the_server_recovers(ArgoTransport transport)
    {
        await using var argo = await ArgoHarness.StartAsync(transport);
        argo.Cluster.Failures.Enqueue(503);
        argo.Cluster.Failures.Enqueue(502);
        argo.App.AfterSync.Add(new("Synced", "Healthy", "Succeeded"));

        await argo.Syncer.SyncAsync(ArgoHarness.Request());

        // Argo CD's ?refresh is one try (the server holds it until the controller has refreshed): its 503 makes the
        // client read the Application without it, and only that read is retried.
        Assert.Equal(transport == ArgoTransport.Rest ? 1 : 2, argo.Output.Count(l => l.Contains("; retry ")));
        Assert.Equal(transport == ArgoTransport.Rest ? 1 : 0, argo.Output.Count(l => l.Contains("did not finish refreshing application 'cloudage' (HTTP 503")));
        Assert.Equal(ArgoHarness.Revision, argo.App.RequestedRevision);
        Assert.True(argo.App.StartedByAutoSync);
    }

    [Theory]
    [InlineData(ArgoTransport.Rest)]
    [InlineData(ArgoTransport.Kubernetes)]
    public async Task Sync_gives_up_after_bounded_retries_naming_the_endpoint_and_its_answer(ArgoTransport transport)
    {
        await using var argo = await ArgoHarness.StartAsync(transport);
        for (var i = 0; i < 10; i++)
            argo.Cluster.Failures.Enqueue(503);

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => argo.Syncer.SyncAsync(ArgoHarness.Request()));

        Assert.Contains(argo.Cluster.BaseAddress.ToString(), failure.Message);
        Assert.Contains("503", failure.Message);
        Assert.Contains("kept failing", failure.Message);
        // First try plus three retries, then no more (after Argo CD's one-try refresh).
        Assert.Equal(transport == ArgoTransport.Rest ? 5 : 4, argo.Cluster.Requests.Count);
        argo.AssertTokenNeverShown(failure);
    }
}
