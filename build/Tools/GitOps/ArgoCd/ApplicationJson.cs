using System.Globalization;
using System.Text.Json;

namespace CloudAge.Tools.GitOps.ArgoCd;

/// <summary>Reads an Application object (REST answer or custom resource: the same JSON) into <see cref="ApplicationStatus"/>.</summary>
internal static class ApplicationJson
{
    public static ApplicationStatus Parse(JsonElement application)
    {
        var name = Text(application, "metadata", "name") ?? "?";
        var status = Child(application, "status");
        var operation = Child(status, "operationState") is { } op ? ParseOperation(op) : null;
        return new ApplicationStatus(
            name,
            Text(status, "sync", "status") ?? "Unknown",
            Text(status, "sync", "revision"),
            Text(status, "health", "status") ?? "Unknown",
            Text(status, "health", "message"),
            operation,
            Time(Text(status, "reconciledAt")),
            // Argo CD keeps .operation set from the moment a sync is requested until the controller takes it up.
            Child(application, "operation") is { ValueKind: JsonValueKind.Object },
            Items(status, "resources").Select(r => new ApplicationResource(
                Text(r, "kind") ?? "?", Text(r, "name") ?? "?", Text(r, "namespace"), Text(r, "status"),
                Text(r, "health", "status"), Text(r, "health", "message"))).ToList())
        {
            AutomatedSync = Automated(Child(application, "spec", "syncPolicy", "automated")),
            TargetRevision = Text(application, "spec", "source", "targetRevision") is { Length: > 0 } target ? target : "HEAD",
            Project = Text(application, "spec", "project") is { Length: > 0 } project ? project : "default",
            UnfollowableSource = UnfollowableSource(application),
            OperationRevision = Text(application, "operation", "sync", "revision") ?? Text(status, "operationState", "operation", "sync", "revision"),
        };
    }

    // Argo CD's ApplicationSpec (pkg/apis/application/v1alpha1/types.go): a source hydrator wins over everything
    // (GetSource returns its sync source), then HasMultipleSources is len(spec.sources) > 0, even with spec.source set.
    private static string? UnfollowableSource(JsonElement application)
    {
        if (Child(application, "spec", "sourceHydrator") is { ValueKind: JsonValueKind.Object })
            return "deploys through a source hydrator (spec.sourceHydrator), from commits the hydrator writes to another branch";
        var sources = Items(Child(application, "spec"), "sources").Length;
        return sources > 0 ? $"has {sources} source(s) under spec.sources, whose revisions Argo CD reports per source" : null;
    }

    // Argo CD's SyncPolicy.IsAutomatedSyncEnabled (pkg/apis/application/v1alpha1/types.go): automated is set and its
    // optional `enabled` is not false.
    private static bool Automated(JsonElement? automated) =>
        automated is { ValueKind: JsonValueKind.Object } a
        && !(a.TryGetProperty("enabled", out var enabled) && enabled.ValueKind == JsonValueKind.False);

    private static OperationState ParseOperation(JsonElement op) => new(
        Text(op, "phase") ?? "Unknown",
        Text(op, "message"),
        Time(Text(op, "finishedAt")),
        Text(op, "syncResult", "revision"),
        Items(Child(op, "syncResult"), "resources").Select(r => new ResourceResult(
            Text(r, "kind") ?? "?", Text(r, "name") ?? "?", Text(r, "namespace"), Text(r, "status"),
            Text(r, "message"), Text(r, "hookPhase"))).ToList());

    private static JsonElement? Child(JsonElement? element, params string[] path)
    {
        foreach (var key in path)
        {
            if (element is not { ValueKind: JsonValueKind.Object } e || !e.TryGetProperty(key, out var next))
                return null;
            element = next;
        }
        return element;
    }

    private static string? Text(JsonElement? element, params string[] path) =>
        Child(element, path) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static JsonElement[] Items(JsonElement? element, string key) =>
        Child(element, key) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray().ToArray() : [];

    private static DateTimeOffset? Time(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
}
