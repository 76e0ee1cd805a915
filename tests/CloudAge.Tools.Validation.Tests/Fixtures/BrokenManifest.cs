namespace CloudAge.Tools.Validation.Tests.Fixtures;

/// <summary>One change to the good manifests, the rule it must trip, and a text on the line the finding must point at.</summary>
public sealed record BrokenManifest(string Rule, string File, string Find, string Replacement, string LineMarker)
{
    public override string ToString() => $"{Rule}: {File} '{Find.Trim()}' -> '{Replacement.Trim()}'";
}
