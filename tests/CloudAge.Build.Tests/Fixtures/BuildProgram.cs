namespace CloudAge.Build.Tests.Fixtures;

/// <summary>
/// The build program as build.sh runs it after compiling it, to run in its own process and environment: its own output
/// folder (built with this test project, same configuration), not the test's bin, whose assembly versions are the test project's.
/// </summary>
public static class BuildProgram
{
    public static string Dll()
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        return Path.Combine(Prerequisites.RepositoryRoot(), "build", "bin", framework.Parent!.Name, framework.Name, "_build.dll");
    }
}
