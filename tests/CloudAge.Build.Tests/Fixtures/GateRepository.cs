using CloudAge.Engine.Execution;

namespace CloudAge.Build.Tests.Fixtures;

/// <summary>
/// A throw-away repository root with what Validate reads (k8s/, argocd/, docs/iam-policy.json, validate.config.yaml,
/// the committed workflows) copied from this repository, as a git repository with one commit, so a test can break a
/// manifest and run the real build against it with --root.
/// </summary>
public sealed class GateRepository : IDisposable
{
    private readonly TempDirectory _directory = new();

    public GateRepository(string source)
    {
        Root = _directory.Path;
        foreach (var folder in new[] { "k8s", "argocd", Path.Combine(".github", "workflows") })
            CopyDirectory(Path.Combine(source, folder), Path.Combine(Root, folder));
        Directory.CreateDirectory(Path.Combine(Root, "docs"));
        Directory.CreateDirectory(Path.Combine(Root, ".nuke"));
        foreach (var file in new[] { "validate.config.yaml", "global.json", Path.Combine("docs", "iam-policy.json") })
            File.Copy(Path.Combine(source, file), Path.Combine(Root, file));
        Git("init -q -b main");
        Git("add -A");
        Git("-c user.name=t -c user.email=t@example.com commit -q -m init");
    }

    public string Root { get; }

    /// <summary>
    /// Adds an unknown field to the Deployment's spec, at line <see cref="BrokenLine"/> column 3, whose name carries a newline
    /// and would-be workflow commands: text from a file that the annotation must carry as data, never as a command.
    /// </summary>
    public void BreakDeployment()
    {
        var path = Path.Combine(Root, "k8s", "deployment.yaml");
        var lines = File.ReadAllLines(path).ToList();
        var spec = lines.IndexOf("spec:");
        lines.Insert(spec + 1, "  \"" + HostileKey.Replace("\n", "\\n", StringComparison.Ordinal) + "\": 1");
        BrokenLine = spec + 2;
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
    }

    /// <summary>
    /// Gives the repository a CloudAge.sln of one xunit project with one failing test, so the Test target fails for the
    /// reason it exists: a red test. Package versions are the repository's own, so restore is served from the local cache.
    /// </summary>
    public void AddFailingTestSolution()
    {
        var project = Path.Combine(Root, "gate", "Gate.Tests.csproj");
        Directory.CreateDirectory(Path.GetDirectoryName(project)!);
        File.WriteAllText(project, """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <IsPackable>false</IsPackable>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.0.1" />
                <PackageReference Include="xunit" Version="2.9.3" />
                <PackageReference Include="xunit.runner.visualstudio" Version="3.1.5" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(Root, "gate", "GateTest.cs"),
            "public class GateTest { [Xunit.Fact] public void Fails() => Xunit.Assert.Fail(\"a red test must stop the image\"); }\n");
        File.WriteAllText(Path.Combine(Root, "CloudAge.sln"), """
            Microsoft Visual Studio Solution File, Format Version 12.00
            # Visual Studio Version 17
            Project("{9A19103F-16F7-4668-BE54-9A1E7A4F7556}") = "Gate.Tests", "gate\Gate.Tests.csproj", "{6E1C1C6B-6F4B-4C55-9C3E-2B1F0C2A7A11}"
            EndProject
            Global
            	GlobalSection(SolutionConfigurationPlatforms) = preSolution
            		Release|Any CPU = Release|Any CPU
            	EndGlobalSection
            	GlobalSection(ProjectConfigurationPlatforms) = postSolution
            		{6E1C1C6B-6F4B-4C55-9C3E-2B1F0C2A7A11}.Release|Any CPU.ActiveCfg = Release|Any CPU
            		{6E1C1C6B-6F4B-4C55-9C3E-2B1F0C2A7A11}.Release|Any CPU.Build.0 = Release|Any CPU
            	EndGlobalSection
            EndGlobal
            """);
    }

    /// <summary>Makes the repository its own <c>origin</c>, so `git ls-remote origin main` answers as on a real clone.</summary>
    public void UseItselfAsOrigin() => Git($"remote add origin \"{Root}\"");

    public const string HostileKey = "bogus\n::add-mask::leak ##[set-output name=x]y";
    public int BrokenLine { get; private set; }

    public (int ExitCode, string Output) RunInProcess(IDictionary<string, string> environment, params string[] args)
    {
        var output = new StringWriter();
        var exitCode = BuildRunner.Run(new Build(), [.. args, "--root", Root, "--no-logo"],
            new RunContext(new Dictionary<string, string>(environment), output, Root), ["Compile"]);
        return (exitCode, output.ToString());
    }

    private void Git(string arguments)
    {
        var (exitCode, output) = ProcessHelper.Run("git", arguments, Root);
        Assert.True(exitCode == 0, $"git {arguments}: {output}");
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var directory in Directory.EnumerateDirectories(from))
            CopyDirectory(directory, Path.Combine(to, Path.GetFileName(directory)));
    }

    public void Dispose() => _directory.Dispose();
}
