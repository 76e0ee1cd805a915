using CloudAge.Workflows.Tests.Fixtures;

namespace CloudAge.Workflows.Tests;

public class GeneratorSnapshotTests
{
    [Theory]
    [InlineData("build-and-push")]
    [InlineData("deploy")]
    public void Generated_workflow_matches_its_snapshot(string workflow)
    {
        var files = WorkflowGenerator.Generate(typeof(Build), Build.Surface);

        var file = Assert.Single(files, f => f.RelativePath == $".github/workflows/{workflow}.yml");
        Snapshot.Match(file.Content, workflow + ".yml");
    }

    [Fact]
    public void Generator_writes_one_file_per_workflow_ordered_by_name()
    {
        var files = WorkflowGenerator.Generate(typeof(Build), Build.Surface);

        Assert.Equal([".github/workflows/build-and-push.yml", ".github/workflows/deploy.yml"], files.Select(f => f.RelativePath));
    }

    [Fact]
    public void Same_attributes_give_the_same_bytes_whatever_the_attribute_order()
    {
        var definitions = WorkflowDefinitions.FromType(typeof(Build));
        var reversed = new WorkflowDefinitions(definitions.Workflows.Reverse().ToList(), definitions.Jobs.Reverse().ToList(), definitions.Inputs);

        var first = WorkflowGenerator.Generate(definitions, Build.Surface);
        var second = WorkflowGenerator.Generate(reversed, Build.Surface);

        Assert.Equal(first, second);
    }
}
