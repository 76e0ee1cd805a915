using CloudAge.Workflows.Tests.Fixtures;

namespace CloudAge.Workflows.Tests;

public class GeneratorSnapshotTests
{
    [Theory]
    [InlineData("ci")]
    [InlineData("release")]
    public void Generated_workflow_matches_its_snapshot(string workflow)
    {
        var files = WorkflowGenerator.Generate(typeof(SampleBuild), SampleBuild.Surface);

        var file = Assert.Single(files, f => f.RelativePath == $".github/workflows/{workflow}.yml");
        Snapshot.Match(file.Content, workflow + ".yml");
    }

    [Fact]
    public void Generator_writes_one_file_per_workflow_ordered_by_name()
    {
        var files = WorkflowGenerator.Generate(typeof(SampleBuild), SampleBuild.Surface);

        Assert.Equal([".github/workflows/ci.yml", ".github/workflows/release.yml"], files.Select(f => f.RelativePath));
    }

    [Fact]
    public void Same_attributes_give_the_same_bytes_whatever_the_attribute_order()
    {
        var definitions = WorkflowDefinitions.FromType(typeof(SampleBuild));
        var reversed = new WorkflowDefinitions(definitions.Workflows.Reverse().ToList(), definitions.Jobs.Reverse().ToList(), definitions.Inputs);

        var first = WorkflowGenerator.Generate(definitions, SampleBuild.Surface);
        var second = WorkflowGenerator.Generate(reversed, SampleBuild.Surface);

        Assert.Equal(first, second);
    }
}
