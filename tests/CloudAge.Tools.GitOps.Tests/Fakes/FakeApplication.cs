using System.Text.Json.Nodes;

namespace CloudAge.Tools.GitOps.Tests.Fakes;

/// <summary>A resource in the fake Application's status, with its health and, optionally, the sync operation's result for it.</summary>
internal sealed record FakeResource(string Kind, string Name, string Health, string? Message = null)
{
    public string Sync { get; init; } = "Synced";
    public string? SyncResult { get; init; }
    public string? SyncMessage { get; init; }
}

/// <summary>One state of the fake Application as a read returns it; a null Revision means the revision the sync asked for.</summary>
internal sealed record FakeAppState(string Sync, string Health, string? Phase)
{
    public string? Revision { get; init; }
    public string? HealthMessage { get; init; }
    public string? OperationMessage { get; init; }
    /// <summary>Argo CD keeps .operation set from the sync request until the operation completes.</summary>
    public bool Pending { get; init; } = Phase is "Running" or "Terminating";
    public bool ReconciledAfterFinish { get; init; } = true;
    public IReadOnlyList<FakeResource> Resources { get; init; } = [new("Deployment", "cloudage", Health)];
}

/// <summary>
/// The Argo CD Application behind the fakes: its state over time, scripted per read. Until a sync is accepted every read
/// returns <see cref="Initial"/>; afterwards read N returns AfterSync[N] (the last one repeats). While <see cref="BusyReads"/>
/// is above zero another operation is running: syncs are refused and each read counts it down. The JSON is
/// the Application object of argoproj.io/v1alpha1 as Argo CD's REST API and the custom resource both carry it (FACTS.md 5).
/// </summary>
internal sealed class FakeApplication(string name)
{
    private static readonly DateTimeOffset Started = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private int _readsSinceSync;
    private int _resourceVersion = 100;

    public string Name { get; } = name;
    public FakeAppState Initial { get; set; } = new("OutOfSync", "Healthy", "Succeeded") { Revision = "0000000000000000000000000000000000000old" };
    public List<FakeAppState> AfterSync { get; } = [];
    public int BusyReads { get; set; }

    public bool SyncAccepted => RequestedRevision is not null;
    public string? RequestedRevision { get; private set; }
    public bool? RequestedPrune { get; private set; }
    public string? InitiatedBy { get; private set; }
    public int Reads { get; private set; }
    public int ReadsAfterSync => _readsSinceSync;
    public int Refreshes { get; set; }
    public int SyncRefusals { get; set; }

    public void AcceptSync(string revision, bool prune, string? initiatedBy)
    {
        RequestedRevision = revision;
        RequestedPrune = prune;
        InitiatedBy = initiatedBy;
        _resourceVersion++;
    }

    public JsonObject Read()
    {
        Reads++;
        if (BusyReads > 0)
        {
            BusyReads--;
            return Render(new FakeAppState("OutOfSync", "Healthy", "Running") { Revision = "another-operation" });
        }
        if (!SyncAccepted)
            return Render(Initial);
        var state = AfterSync.Count == 0 ? Initial : AfterSync[Math.Min(_readsSinceSync, AfterSync.Count - 1)];
        _readsSinceSync++;
        return Render(state);
    }

    private JsonObject Render(FakeAppState s)
    {
        var revision = s.Revision ?? RequestedRevision ?? "unknown";
        var finished = Started.AddSeconds(10);
        var operationState = s.Phase is null ? null : new JsonObject
        {
            ["phase"] = s.Phase,
            ["message"] = s.OperationMessage,
            ["startedAt"] = Started.ToString("O"),
            ["finishedAt"] = s.Phase is "Running" or "Terminating" ? null : finished.ToString("O"),
            ["syncResult"] = new JsonObject
            {
                ["revision"] = revision,
                ["resources"] = new JsonArray(s.Resources.Where(r => r.SyncResult is not null).Select(r => (JsonNode)new JsonObject
                {
                    ["kind"] = r.Kind, ["name"] = r.Name, ["namespace"] = "cloudage", ["status"] = r.SyncResult, ["message"] = r.SyncMessage,
                }).ToArray()),
            },
        };
        return new JsonObject
        {
            ["apiVersion"] = "argoproj.io/v1alpha1",
            ["kind"] = "Application",
            ["metadata"] = new JsonObject { ["name"] = Name, ["namespace"] = "argocd", ["resourceVersion"] = _resourceVersion.ToString() },
            ["spec"] = new JsonObject { ["destination"] = new JsonObject { ["server"] = "https://kubernetes.default.svc", ["namespace"] = "cloudage" } },
            ["operation"] = s.Pending ? new JsonObject { ["sync"] = new JsonObject { ["revision"] = revision } } : null,
            ["status"] = new JsonObject
            {
                ["sync"] = new JsonObject { ["status"] = s.Sync, ["revision"] = revision },
                ["health"] = new JsonObject { ["status"] = s.Health, ["message"] = s.HealthMessage },
                ["reconciledAt"] = (s.ReconciledAfterFinish ? finished.AddSeconds(5) : finished.AddSeconds(-5)).ToString("O"),
                ["operationState"] = operationState,
                ["resources"] = new JsonArray(s.Resources.Select(r => (JsonNode)new JsonObject
                {
                    ["kind"] = r.Kind, ["name"] = r.Name, ["namespace"] = "cloudage", ["status"] = r.Sync,
                    ["health"] = new JsonObject { ["status"] = r.Health, ["message"] = r.Message },
                }).ToArray()),
            },
        };
    }
}
