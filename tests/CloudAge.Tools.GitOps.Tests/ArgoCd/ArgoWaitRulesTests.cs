using CloudAge.Tools.GitOps.ArgoCd;

namespace CloudAge.Tools.GitOps.Tests.ArgoCd;

/// <summary>The success and failure rules on single status readings (FACTS.md 5: `argocd app wait`).</summary>
public sealed class ArgoWaitRulesTests
{
    private const string Revision = "4f2c9e1a7b3d5f6e8a9b0c1d2e3f4a5b6c7d8e9f";
    private static readonly DateTimeOffset Finished = new(2026, 1, 1, 0, 0, 10, TimeSpan.Zero);

    private static ApplicationStatus Done() => new("cloudage", "Synced", Revision, "Healthy", null,
        new OperationState("Succeeded", null, Finished, Revision, []), Finished.AddSeconds(1), false, []);

    [Fact]
    public void Synced_Healthy_finished_and_reconciled_after_is_done() => Assert.True(ArgoWaitRules.IsDone(Done(), Revision));

    [Fact]
    public void A_short_revision_matches_the_full_one() => Assert.True(ArgoWaitRules.IsDone(Done(), Revision[..7]));

    [Fact]
    public void Synced_at_another_revision_is_not_done() => Assert.False(ArgoWaitRules.IsDone(Done() with { SyncRevision = "0123456789" }, Revision));

    [Fact]
    public void A_pending_operation_is_not_done() => Assert.False(ArgoWaitRules.IsDone(Done() with { OperationPending = true }, Revision));

    [Fact]
    public void Reconciled_before_the_operation_finished_is_not_done() =>
        Assert.False(ArgoWaitRules.IsDone(Done() with { ReconciledAt = Finished.AddSeconds(-1) }, Revision));

    [Fact]
    public void An_operation_without_finishedAt_is_not_done() =>
        Assert.False(ArgoWaitRules.IsDone(Done() with { Operation = Done().Operation! with { FinishedAt = null } }, Revision));

    [Fact]
    public void Degraded_before_the_sync_was_reconciled_is_not_yet_a_failure() =>
        Assert.Null(ArgoWaitRules.Failure(Done() with { HealthStatus = "Degraded", ReconciledAt = Finished.AddSeconds(-1) }, Revision));

    [Fact]
    public void A_failed_operation_of_another_revision_is_not_this_sync_failing() =>
        Assert.Null(ArgoWaitRules.Failure(Done() with { Operation = Done().Operation! with { Phase = "Failed", SyncRevision = "0123456789abc" } }, Revision));

    [Fact]
    public void An_Error_phase_is_a_failure() =>
        Assert.StartsWith("the sync operation ended Error", ArgoWaitRules.Failure(Done() with { Operation = Done().Operation! with { Phase = "Error" } }, Revision));
}
