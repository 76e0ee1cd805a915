using System.Diagnostics;
using CloudAge.Workflows.Tests.Fixtures;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Workflows.Tests;

/// <summary>
/// A cancelled job reaches the build: the runner signals only the step's shell process (actions/runner
/// src/Runner.Sdk/ProcessInvoker.cs: kill(pid, SIGINT), 7.5 s later SIGTERM, then kill), which for `shell: bash` on
/// Linux is `bash --noprofile --norc -eo pipefail {0}` running the step's script. The generated run line is run here
/// exactly so, with a stand-in build.sh that records the signal it gets.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the runner's bash and POSIX signals
public sealed class CancellationSignalTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cloudage-step-signal-").FullName;

    [Fact]
    public async Task The_runners_SIGINT_to_the_steps_shell_reaches_the_build()
    {
        var files = WorkflowGenerator.Generate(Combinations.All["quoting"], Combinations.Surface);
        var steps = (YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)Parse(files[0].Content).Children["jobs"]).Children["_x"])).Children["steps"];
        var run = ((YamlScalarNode)((YamlMappingNode)steps.Children[^1]).Children["run"]).Value!;
        var marker = Path.Combine(_directory, "signal");
        var ready = Path.Combine(_directory, "ready");
        // The stand-in build: says it runs, then waits; SIGINT makes it write what it got and stop as a cancelled build does.
        File.WriteAllText(Path.Combine(_directory, "build.sh"),
            $"#!/usr/bin/env bash\ntrap 'echo INT > \"{marker}\"; exit 130' INT\ntouch \"{ready}\"\nfor _ in $(seq 300); do sleep 0.1; done\n");
        File.SetUnixFileMode(Path.Combine(_directory, "build.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var script = Path.Combine(_directory, "step.sh");
        File.WriteAllText(script, run + "\n");
        using var step = Process.Start(new ProcessStartInfo("bash", ["--noprofile", "--norc", "-eo", "pipefail", script]) { WorkingDirectory = _directory })!;
        try
        {
            for (var waited = 0; !File.Exists(ready) && waited < 100; waited++)
                await Task.Delay(100);
            Assert.True(File.Exists(ready), "the stand-in build.sh did not start");

            // SIGINT, to the step's process only, as the runner sends it.
            using (var kill = Process.Start("kill", ["-INT", step.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                kill.WaitForExit();
                Assert.Equal(0, kill.ExitCode);
            }
            var stopped = step.WaitForExit(TimeSpan.FromSeconds(5));

            Assert.True(stopped && File.Exists(marker), $"The step's shell got SIGINT but the build did not: it is still running. Run line: {run}");
            Assert.Equal("INT", File.ReadAllText(marker).Trim());
            Assert.Equal(130, step.ExitCode);
        }
        finally
        {
            if (!step.HasExited)
                step.Kill(entireProcessTree: true);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static YamlMappingNode Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
