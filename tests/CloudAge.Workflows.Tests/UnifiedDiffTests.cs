using CloudAge.Workflows.Drift;

namespace CloudAge.Workflows.Tests;

public class UnifiedDiffTests
{
    [Fact]
    public void Diff_shows_changes_with_three_lines_of_context_in_separate_hunks()
    {
        var before = string.Join('\n', Enumerable.Range(1, 20).Select(i => $"line {i}")) + "\n";
        var after = before.Replace("line 2\n", "line two\n", StringComparison.Ordinal).Replace("line 18\n", "", StringComparison.Ordinal);

        var diff = UnifiedDiff.Create(before, after, "a", "b");

        Assert.Equal("""
            --- a
            +++ b
            @@ -1,5 +1,5 @@
             line 1
            -line 2
            +line two
             line 3
             line 4
             line 5
            @@ -15,6 +15,5 @@
             line 15
             line 16
             line 17
            -line 18
             line 19
             line 20

            """.Replace("\r\n", "\n", StringComparison.Ordinal), diff);
    }
}
