using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using CloudAge.Build.Tests.Fixtures;
using CloudAge.Testing;

namespace CloudAge.Build.Tests;

/// <summary>
/// The layering of build/, checked on both the project files (what may be referenced) and the compiled assemblies
/// (what is referenced): CloudAge.Common at the bottom; the engine, every tool and the workflow generator on it
/// and on nothing else of CloudAge; only the build (_build) sees them all. Inside the engine, the rooms
/// (Cli, Parameters, Planning, Execution, Output, Hosts) form no namespace cycle.
/// </summary>
public sealed class LayeringTests
{
    private static readonly string Repository = Prerequisites.RepositoryRoot();

    // The one project every lower layer may reference.
    private const string Common = "CloudAge.Common";

    public static TheoryData<string> LowerProjects() => new(LowerProjectPaths());

    private static List<string> LowerProjectPaths()
    {
        var data = new List<string>();
        foreach (var project in Directory.EnumerateFiles(Path.Combine(Repository, "build"), "*.csproj", SearchOption.AllDirectories)
                     .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                         && !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                         && Path.GetFileName(p) != "_build.csproj")
                     .Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(Repository, project).Replace('\\', '/'));
        return data;
    }

    [Theory]
    [MemberData(nameof(LowerProjects))]
    public void A_project_below_the_build_references_no_CloudAge_project_but_Common(string project)
    {
        var path = Path.Combine(Repository, project);
        var referenced = XDocument.Load(path).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension((string)r.Attribute("Include")!))
            .ToList();

        var allowed = Path.GetFileNameWithoutExtension(path) == Common ? [] : new[] { Common };
        Assert.True(referenced.All(allowed.Contains),
            $"{project} references {string.Join(", ", referenced.Except(allowed))}; below the build only {Common} may be referenced "
            + "(a tool never references another tool, the engine knows nothing of CloudAge). Pass what it needs in from build/Build*.cs instead.");
    }

    [Fact]
    public void The_layer_rule_covers_the_engine_every_tool_and_the_workflow_generator()
    {
        var projects = LowerProjectPaths();

        Assert.Contains("build/Engine/CloudAge.Engine.csproj", projects);
        Assert.Contains("build/Workflows/CloudAge.Workflows.csproj", projects);
        Assert.True(projects.Count(p => p.StartsWith("build/Tools/", StringComparison.Ordinal)) >= 4, string.Join(", ", projects));
    }

    public static TheoryData<string> LowerAssemblies() => new(LowerAssemblyNames());

    // The compiled form of every project below the build (this test project references the build, so all are here).
    private static List<string> LowerAssemblyNames() =>
        LowerProjectPaths().Select(p => Path.GetFileNameWithoutExtension(p)).Order(StringComparer.Ordinal).ToList();

    [Theory]
    [MemberData(nameof(LowerAssemblies))]
    public void A_compiled_assembly_below_the_build_references_no_CloudAge_assembly_but_Common(string assembly)
    {
        var references = AssemblyReferences(Path.Combine(AppContext.BaseDirectory, assembly + ".dll"));

        var ours = references.Where(r => r.StartsWith("CloudAge.", StringComparison.Ordinal) || r == "_build").ToList();
        var allowed = assembly == Common ? [] : new[] { Common };
        Assert.True(ours.All(allowed.Contains), $"{assembly}.dll references {string.Join(", ", ours.Except(allowed))}; only {Common} is allowed below the build.");
    }

    [Fact]
    public void The_assembly_rule_sees_the_engine_and_the_tools()
    {
        var assemblies = LowerAssemblyNames();

        Assert.Contains("CloudAge.Engine", assemblies);
        Assert.Contains(Common, assemblies);
        Assert.True(assemblies.Count(a => a.StartsWith("CloudAge.Tools.", StringComparison.Ordinal)) >= 4, string.Join(", ", assemblies));
        // The check can fail: the build itself does reference the tools.
        Assert.Contains(assemblies, a => AssemblyReferences(Path.Combine(AppContext.BaseDirectory, "_build.dll")).Contains(a));
    }

    [Fact]
    public void The_engine_rooms_form_no_namespace_cycle()
    {
        var graph = NamespaceGraph.Read(Path.Combine(AppContext.BaseDirectory, "CloudAge.Engine.dll"), "CloudAge.Engine");

        var cycle = graph.FindCycle(ignoring: "CloudAge.Engine");

        Assert.True(cycle is null, cycle is null ? null : "Namespace cycle inside the engine: " + graph.Describe(cycle));
    }

    [Fact]
    public void The_namespace_graph_sees_references_from_method_bodies_and_signatures()
    {
        var graph = NamespaceGraph.Read(Path.Combine(AppContext.BaseDirectory, "CloudAge.Engine.dll"), "CloudAge.Engine");

        // BuildRunner (Execution) calls CommandLineParser (Cli) in a method body; HelpWriter (Output) takes ParameterDescriptor (Parameters) in a signature.
        Assert.Contains("CloudAge.Engine.Cli", graph.Edges["CloudAge.Engine.Execution"].Keys);
        Assert.Contains("CloudAge.Engine.Parameters", graph.Edges["CloudAge.Engine.Output"].Keys);
        // The root namespace is the public face (BuildBase, Target, Log) that every room may use.
        Assert.NotNull(graph.FindCycle(ignoring: "no such namespace"));
    }

    private static List<string> AssemblyReferences(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        return reader.AssemblyReferences.Select(h => reader.GetString(reader.GetAssemblyReference(h).Name)).ToList();
    }
}
