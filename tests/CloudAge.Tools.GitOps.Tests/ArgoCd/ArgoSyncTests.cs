using CloudAge.Tools.GitOps.ArgoCd;
using CloudAge.Tools.GitOps.Tests.Fakes;

namespace CloudAge.Tools.GitOps.Tests.ArgoCd;

/// <summary>ArgoSync against the in-process Argo CD fake (REST) and Kubernetes API fake (Application resource), scripted over time.</summary>
public sealed class ArgoSyncTests
{
    private static readonly FakeResource ConfigMap = new("ConfigMap", "cloudage-config", "Healthy");

    [Theory]
    [InlineData(ArgoTransport.Rest)]
    [InlineData(ArgoTransport.Kubernetes)]
    public async Task Sync_succeeds_once_Synced_at_the_revision_and_Healthy_after_Progressing(ArgoTransport transport)
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
        Assert.Equal(ArgoHarness.Revision, argo.App.RequestedRevision);
        Assert.False(argo.App.RequestedPrune);
        Assert.True(argo.App.Refreshes >= 1, "the application was not refreshed before the sync");
        // One line per state change (initial OutOfSync, Running, Progressing, Healthy), not one per read.
        Assert.Equal(4, argo.StateLines().Count);
        Assert.True(argo.App.Reads > argo.StateLines().Count);
        Assert.Contains("health Healthy", argo.StateLines()[^1]);
        argo.AssertTokenNeverShown();
    }

    [Theory]
    [InlineData(ArgoTransport.Rest)]
    [InlineData(ArgoTransport.Kubernetes)]
    public async Task Sync_waits_while_another_operation_is_in_progress_then_syncs(ArgoTransport transport)
    {
        await using var argo = await ArgoHarness.StartAsync(transport);
        argo.App.BusyReads = 4;
        argo.App.AfterSync.AddRange([new("OutOfSync", "Healthy", "Running"), new("Synced", "Healthy", "Succeeded")]);

        await argo.Syncer.SyncAsync(ArgoHarness.Request());

        Assert.Equal(ArgoHarness.Revision, argo.App.RequestedRevision);
        Assert.Single(argo.Output, l => l.Contains("another operation is in progress; waiting"));
        if (transport == ArgoTransport.Rest)
            Assert.True(argo.App.SyncRefusals >= 1, "the REST sync was never refused, so the wait path was not taken");
        Assert.Equal(0, argo.App.BusyReads);
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

        var failure = await Assert.ThrowsAsync<ArgoSyncFailedException>(() => argo.Syncer.SyncAsync(ArgoHarness.Request(TimeSpan.FromSeconds(4))));

        Assert.Contains("timed out after 4 s", failure.Message);
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

        Assert.Equal(2, argo.Output.Count(l => l.Contains("; retry ")));
        Assert.Equal(ArgoHarness.Revision, argo.App.RequestedRevision);
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
        // First try plus three retries, then no more.
        Assert.Equal(4, argo.Cluster.Requests.Count);
        argo.AssertTokenNeverShown(failure);
    }
}
