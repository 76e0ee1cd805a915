using CloudAge.Workflows.Tests.Fixtures;

namespace CloudAge.Workflows.Tests;

public class DriftTests
{
    private static readonly IReadOnlyList<GeneratedFile> Generated = WorkflowGenerator.Generate(typeof(SampleBuild), SampleBuild.Surface);
    private const string BuildAndPush = ".github/workflows/ci.yml";

    [Fact]
    public void A_hand_edited_workflow_is_reported_with_a_diff_and_passes_after_regeneration()
    {
        using var repo = new TempDirectory();
        WorkflowFiles.Write(repo.Path, Generated, _ => { });
        repo.Write(BuildAndPush, repo.Read(BuildAndPush).Replace("timeout-minutes: 20", "timeout-minutes: 90", StringComparison.Ordinal));

        var drift = WorkflowDrift.Check(repo.Path, Generated);
        var written = WorkflowFiles.Write(repo.Path, Generated, _ => { });
        var after = WorkflowDrift.Check(repo.Path, Generated);

        var finding = Assert.Single(drift);
        Assert.Equal((BuildAndPush, DriftKind.Modified), (finding.RelativePath, finding.Kind));
        Assert.Contains("-    timeout-minutes: 90\n+    timeout-minutes: 20\n", finding.Diff);
        Assert.StartsWith($"--- {BuildAndPush} (committed)\n+++ {BuildAndPush} (generated)\n@@ -", finding.Diff);
        Assert.Contains("Run ./build.sh GenerateWorkflows and commit the result", WorkflowDrift.Describe(drift));
        Assert.Equal([BuildAndPush], written);
        Assert.Empty(after);
    }

    [Fact]
    public void A_missing_workflow_is_reported()
    {
        using var repo = new TempDirectory();

        var drift = WorkflowDrift.Check(repo.Path, Generated);

        Assert.Equal([DriftKind.Missing, DriftKind.Missing], drift.Select(d => d.Kind));
        Assert.Contains("+name: release\n", drift[1].Diff);
    }

    [Fact]
    public void A_generated_file_no_attribute_generates_any_more_is_reported_and_removed_on_regeneration()
    {
        using var repo = new TempDirectory();
        WorkflowFiles.Write(repo.Path, Generated, _ => { });
        repo.Write(".github/workflows/old.yml", Generated[0].Content.Replace("name: ci", "name: old", StringComparison.Ordinal));
        repo.Write(".github/workflows/hand-written.yml", "name: hand-written\non: push\n");

        var drift = WorkflowDrift.Check(repo.Path, Generated);
        WorkflowFiles.Write(repo.Path, Generated, _ => { });

        var finding = Assert.Single(drift);
        Assert.Equal((".github/workflows/old.yml", DriftKind.ExtraGenerated), (finding.RelativePath, finding.Kind));
        Assert.False(File.Exists(repo.PathOf(".github/workflows/old.yml")));
        Assert.True(File.Exists(repo.PathOf(".github/workflows/hand-written.yml")));
    }

    [Fact]
    public void Crlf_line_ends_from_a_windows_checkout_are_not_drift()
    {
        using var repo = new TempDirectory();
        foreach (var file in Generated)
            repo.Write(file.RelativePath, file.Content.Replace("\n", "\r\n", StringComparison.Ordinal));

        Assert.Empty(WorkflowDrift.Check(repo.Path, Generated));
    }

    [Fact]
    public void Writing_unchanged_files_touches_nothing()
    {
        using var repo = new TempDirectory();
        WorkflowFiles.Write(repo.Path, Generated, _ => { });
        var stamp = File.GetLastWriteTimeUtc(repo.PathOf(BuildAndPush));
        var log = new List<string>();

        var written = WorkflowFiles.Write(repo.Path, Generated, log.Add);

        Assert.Empty(written);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(repo.PathOf(BuildAndPush)));
        Assert.Equal(["Workflow files are up to date."], log);
        Assert.Empty(Directory.GetFiles(repo.PathOf(".github/workflows"), "*.tmp"));
    }
}
