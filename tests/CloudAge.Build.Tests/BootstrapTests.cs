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
    private string Dll => Path.Combine(_root, "build", "bin", "Bootstrap", "net10.0", "_build.dll");
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

    private (int ExitCode, string Output) BuildSh(params string[] args) =>
        ProcessHelper.Run("bash", "build.sh " + string.Join(' ', args), _root);

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
    public void A_build_program_that_does_not_compile_is_reported_with_its_errors_and_exit_code_2()
    {
        BuildSh();
        File.WriteAllText(Source, "this is not C#");
        File.SetLastWriteTimeUtc(Source, DateTime.UtcNow.AddSeconds(2));

        var (exitCode, output) = BuildSh();

        Assert.Equal(2, exitCode);
        Assert.Contains("error CS", output);
        Assert.Contains("the build program did not compile", output);
        Assert.False(File.Exists(Path.Combine(_root, ".nuke", "temp", "build.stamp")));
    }
}
