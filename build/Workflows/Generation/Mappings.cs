namespace CloudAge.Workflows.Generation;

/// <summary>A mapping written as <c>NAME</c> or <c>TARGET=SOURCE</c> in an attribute.</summary>
internal readonly record struct Mapping(string Target, string Source)
{
    public static Mapping Parse(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? new Mapping(text.Trim(), text.Trim()) : new Mapping(text[..equals].Trim(), text[(equals + 1)..].Trim());
    }

    /// <summary><c>job.output</c>, optionally <c>ENV=job.output</c>; the env name defaults to the output in upper snake case.</summary>
    public static (string Env, string Job, string Output) ParseNeedsOutput(string text)
    {
        var mapping = Parse(text);
        var dot = mapping.Source.IndexOf('.', StringComparison.Ordinal);
        var job = dot < 0 ? string.Empty : mapping.Source[..dot];
        var output = dot < 0 ? mapping.Source : mapping.Source[(dot + 1)..];
        var env = text.Contains('=', StringComparison.Ordinal) ? mapping.Target : output.Replace('-', '_').ToUpperInvariant();
        return (env, job, output);
    }
}
