using CloudAge.Engine;
using CloudAge.Engine.Execution;

namespace CloudAge.Engine.Tests.Fixtures;

/// <summary>Runs a build in-process as ./build.sh would, with its own output, environment and temporary root.</summary>
public sealed class BuildHarness : IDisposable
{
    public BuildHarness()
    {
        Root = Directory.CreateTempSubdirectory("cloudage-engine-").FullName;
        Directory.CreateDirectory(Path.Combine(Root, ".nuke"));
    }

    public string Root { get; }
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public (int ExitCode, string Output) Run(BuildBase build, params string[] args) => Run(build, ["Default"], args);

    public CancellationToken Cancellation { get; set; }

    public (int ExitCode, string Output) Run(BuildBase build, string[] defaults, params string[] args)
    {
        var output = new StringWriter();
        var exitCode = BuildRunner.Run(build, args, new RunContext(Environment, output, Root, Cancellation: Cancellation), defaults);
        return (exitCode, output.ToString());
    }

    public void WriteParameters(string fileName, string json) =>
        File.WriteAllText(Path.Combine(Root, ".nuke", fileName), json);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
