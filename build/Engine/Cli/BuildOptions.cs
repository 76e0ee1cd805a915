namespace CloudAge.Engine.Cli;

public enum Verbosity
{
    Quiet,
    Minimal,
    Normal,
    Verbose,
}

public enum PlanFormat
{
    /// <summary>The terminal tree plus the HTML picture in .nuke/temp.</summary>
    Html,
    /// <summary>Mermaid text on standard output, for embedding in docs.</summary>
    Mermaid,
}

/// <summary>What the command line asked of the engine itself; parameter values travel separately.</summary>
public sealed record BuildOptions
{
    public IReadOnlyList<string> Targets { get; init; } = [];
    public bool Help { get; init; }
    public bool Plan { get; init; }
    public PlanFormat PlanFormat { get; init; } = PlanFormat.Html;
    public bool DryRun { get; init; }
    public bool Parallel { get; init; }
    public IReadOnlyList<string>? Skip { get; init; }
    public Verbosity Verbosity { get; init; } = Verbosity.Normal;
    public string? Root { get; init; }
    public IReadOnlyList<string> Profiles { get; init; } = [];
    public bool Continue { get; init; }
    public bool NoLogo { get; init; }
    /// <summary>Writes .nuke/build.schema.json and exits; build.sh runs it after each rebuild.</summary>
    public bool WriteSchema { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ParameterValues { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
}
