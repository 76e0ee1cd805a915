using CloudAge.Common.Processes;
using CloudAge.Build.Support;
using CloudAge.Engine;

namespace CloudAge.Build;

public sealed partial class Build
{
    Target Clean => _ => _
        .Description("Deletes artifacts/ and every bin/ and obj/ folder except the running build's own")
        .Before(Restore)
        .Executes(() =>
        {
            DeleteDirectory(ArtifactsDirectory);
            foreach (var folder in SourceFolders.Select(f => RootDirectory / f).Where(f => f.Exists()))
            {
                foreach (var output in Directory.EnumerateDirectories(folder, "*", SearchOption.AllDirectories)
                             .Where(d => Path.GetFileName(d) is "bin" or "obj")
                             .Where(d => !IsBootstrapOutput(d))
                             .ToList())
                    DeleteDirectory(new AbsolutePath(output));
            }
        });

    Target Restore => _ => _
        .Description("Restores the NuGet packages of the solution")
        .Executes(() => DotNet("restore", SolutionFile));

    Target Compile => _ => _
        .Description("Builds the solution, warnings as errors")
        .DependsOn(Restore)
        .Executes(async () =>
        {
            try
            {
                await DotNetAsync("build", SolutionFile, "--no-restore", "-c", Configuration.ToString());
            }
            catch (ProcessException e)
            {
                // On GitHub each compiler error becomes an annotation on its line (the build's own, not setup-dotnet's matcher).
                foreach (var error in CompilerErrors.Read(e.Result.StandardOutput, RootDirectory))
                    ReportProblem(error.File, error.Line, error.Column, error.Message);
                throw;
            }
        });

    Target Test => _ => _
        .Description("Runs every test project; TRX results in artifacts/test-results")
        .DependsOn(Compile)
        .Executes(async () =>
        {
            var results = ArtifactsDirectory / "test-results";
            DeleteDirectory(results);
            var failure = default(ProcessException);
            try
            {
                await DotNetAsync("test", SolutionFile, "--no-build", "-c", Configuration.ToString(),
                    "--logger", "trx", "--results-directory", results, "--", "RunConfiguration.TreatNoTestsAsError=true");
            }
            catch (ProcessException e)
            {
                failure = e;
            }
            var totals = TestTotals.Read(results);
            Log.Information(totals.ToString());
            SetOutput("test-totals", totals.ToString());
            if (failure is not null || totals.Failed > 0 || totals.Total == 0)
                throw new InvalidOperationException(totals.Total == 0 ? "No test ran." : $"{totals.Failed} test(s) failed; see the log above and the TRX files in {results.RelativeTo(RootDirectory)}.");
        });

    Target Publish => _ => _
        .Description("Publishes the CloudAge service self-contained per platform (--platforms) into artifacts/publish/<rid> (linux-x64, linux-arm64)")
        .DependsOn(Compile)
        .Requires(() => PlatformsAreValid)
        .Executes(PublishPlatforms);

    static readonly string[] SourceFolders = ["app", "tests", "build"];

    void DotNet(params string[] arguments) => DotNetAsync(arguments).GetAwaiter().GetResult();

    Task<ProcessResult> DotNetAsync(params string[] arguments) =>
        Processes.RunAsync(new ProcessSpec("dotnet", [arguments[0], "--nologo", .. arguments[1..]])
        {
            WorkingDirectory = RootDirectory,
            Environment = new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" },
        });

    bool IsBootstrapOutput(string directory) =>
        Path.GetFullPath(directory).StartsWith(Path.GetFullPath(RootDirectory / "build" / "bin"), StringComparison.Ordinal)
        || Path.GetFullPath(directory).StartsWith(Path.GetFullPath(RootDirectory / "build" / "obj"), StringComparison.Ordinal);

    static void DeleteDirectory(AbsolutePath directory)
    {
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
    }
}
