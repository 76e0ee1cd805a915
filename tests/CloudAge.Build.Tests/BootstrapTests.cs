using CloudAge.Build.Tests.Fixtures;
using CloudAge.Testing;

namespace CloudAge.Build.Tests;

/// <summary>
/// build.sh against a tiny build program of its own (same layout as the real one), so each rebuild takes seconds:
/// the script is the thing under test, not the build it compiles.
/// </summary>
public sealed class BootstrapTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cloudage-bootstrap-").FullName;
    private string Dll => Path.Combine(_root, "build", "bin", "Bootstrap", "program", "_build.dll");
    private string Source => Path.Combine(_root, "build", "Build.cs");

    public BootstrapTests()
    {
        var repository = Prerequisites.RepositoryRoot();
        File.Copy(Path.Combine(repository, "build.sh"), Path.Combine(_root, "build.sh"));
        File.Copy(Path.Combine(repository, "global.json"), Path.Combine(_root, "global.json"));
        File.WriteAllText(Path.Combine(_root, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(_root, "Directory.Packages.props"), "<Project />");
        Directory.CreateDirectory(Path.Combine(_root, "build"));
        File.WriteAllText(Path.Combine(_root, "build", "_build.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><AssemblyName>_build</AssemblyName></PropertyGroup>
            </Project>
            """);
        WriteSource("first");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void WriteSource(string word) =>
        File.WriteAllText(Source, $$"""System.Console.WriteLine("{{word}} " + string.Join(' ', args));""");

    private (int ExitCode, string Output) BuildSh(params string[] args) => BuildShIn(_root, args);

    private static (int ExitCode, string Output) BuildShIn(string root, params string[] args) =>
        ProcessHelper.Run("bash", "build.sh " + string.Join(' ', args), root);

    private static void Git(string directory, string arguments)
    {
        var (exitCode, output) = ProcessHelper.Run("git", arguments, directory);
        Assert.True(exitCode == 0, $"git {arguments}: {output}");
    }

    [Fact]
    public void The_first_run_of_a_fresh_clone_shows_progress_and_the_second_run_does_not_rebuild()
    {
        // A real clone: every file has the checkout's time and no bin/ or obj/ exists yet, as on a new machine.
        Git(_root, "init -q -b main");
        Git(_root, "-c user.name=t -c user.email=t@example.com add -A");
        Git(_root, "-c user.name=t -c user.email=t@example.com commit -q -m init");
        var clone = Path.Combine(_root, "clone");
        Git(_root, $"clone -q {_root} {clone}");
        var stamp = Path.Combine(clone, ".nuke", "temp", "build.stamp");

        var first = BuildShIn(clone, "Compile");
        var stampTime = File.GetLastWriteTimeUtc(stamp);
        var second = BuildShIn(clone, "Test");

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("build.sh: compiling the build program", first.Output);
        Assert.Matches(@"build\.sh:   compiled _build \(\d+ s\)", first.Output);
        Assert.Matches(@"build\.sh: build program ready in \d+ s", first.Output);
        Assert.Contains("first Compile", first.Output);
        // Nothing but the program's own line: no progress, so no rebuild; and the stamp was not rewritten.
        Assert.Equal((0, "first Test\n"), second);
        Assert.Equal(stampTime, File.GetLastWriteTimeUtc(stamp));
    }

    [Fact]
    public void Adding_a_source_file_rebuilds_before_running()
    {
        BuildSh();
        File.WriteAllText(Path.Combine(_root, "build", "Extra.cs"), "static class Extra { }");

        var (exitCode, output) = BuildSh("Go");

        Assert.Equal(0, exitCode);
        Assert.Contains("build.sh: compiling the build program", output);
        Assert.Contains("first Go\n", output);
    }

    [Fact]
    public void A_second_run_with_nothing_changed_runs_the_built_program_without_rebuilding()
    {
        var first = BuildSh("Compile");
        var builtAt = File.GetLastWriteTimeUtc(Dll);

        var second = BuildSh("Test", "--x");

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("first Compile", first.Output);
        Assert.Equal("first Test --x\n", second.Output);
        Assert.Equal(builtAt, File.GetLastWriteTimeUtc(Dll));
    }

    [Fact]
    public void Touching_a_build_source_rebuilds_before_running()
    {
        BuildSh();
        WriteSource("second");
        File.SetLastWriteTimeUtc(Source, DateTime.UtcNow.AddSeconds(2));

        var (exitCode, output) = BuildSh("Go");

        Assert.Equal(0, exitCode);
        Assert.Contains("second Go", output);
        Assert.Contains("build.sh: compiling the build program", output);
    }

    [Fact]
    public void A_corrupted_build_output_is_rebuilt_and_never_run()
    {
        BuildSh();
        File.WriteAllBytes(Dll, [0x4d, 0x5a, 0x00]);

        var (exitCode, output) = BuildSh("Again");

        Assert.Equal(0, exitCode);
        Assert.Contains("first Again", output);
        Assert.True(new FileInfo(Dll).Length > 1000);
    }

    [Fact]
    public void A_build_program_that_does_not_compile_is_reported_with_its_errors_and_exit_code_1()
    {
        BuildSh();
        File.WriteAllText(Source, "this is not C#");
        File.SetLastWriteTimeUtc(Source, DateTime.UtcNow.AddSeconds(2));

        var (exitCode, output) = BuildSh();

        // A run-time failure of the bootstrap, not a bad value: 1, as a failed target.
        Assert.Equal(1, exitCode);
        Assert.Contains("error CS", output);
        Assert.Contains("the build program did not compile", output);
        Assert.False(File.Exists(Path.Combine(_root, ".nuke", "temp", "build.stamp")));
    }
}
