using System.Text;

namespace CloudAge.Tools.GitOps.ImageBump;

/// <summary>Prints edits as a unified diff without context lines (like <c>git diff -U0</c>), for <c>--dry-run</c>.</summary>
public static class ManifestDiff
{
    public static string Format(IEnumerable<ManifestEdit> edits)
    {
        ArgumentNullException.ThrowIfNull(edits);
        var output = new StringBuilder();
        foreach (var edit in edits.Where(e => e.Changed))
        {
            output.Append("--- a/").Append(edit.File).Append('\n');
            output.Append("+++ b/").Append(edit.File).Append('\n');
            var before = Lines(edit.OriginalText);
            var after = Lines(edit.NewText);
            foreach (var hunk in Hunks(before, after))
            {
                output.Append($"@@ -{Range(hunk.OldStart, hunk.OldCount)} +{Range(hunk.NewStart, hunk.NewCount)} @@\n");
                for (var i = 0; i < hunk.OldCount; i++)
                    output.Append('-').Append(before[hunk.OldStart + i]).Append('\n');
                for (var i = 0; i < hunk.NewCount; i++)
                    output.Append('+').Append(after[hunk.NewStart + i]).Append('\n');
            }
        }
        return output.ToString();
    }

    private sealed record Hunk(int OldStart, int OldCount, int NewStart, int NewCount);

    // Line numbers are 1-based; an empty side names the line before it, as diff -U0 does.
    private static string Range(int start, int count) => count == 1 ? $"{start + 1}" : $"{(count == 0 ? start : start + 1)},{count}";

    private static string[] Lines(string text) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

    /// <summary>Longest common subsequence of lines; manifests are small, so the quadratic table is fine.</summary>
    private static IEnumerable<Hunk> Hunks(string[] before, string[] after)
    {
        var common = new int[before.Length + 1, after.Length + 1];
        for (var i = before.Length - 1; i >= 0; i--)
        {
            for (var j = after.Length - 1; j >= 0; j--)
                common[i, j] = before[i] == after[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
        }
        int x = 0, y = 0;
        while (x < before.Length || y < after.Length)
        {
            if (x < before.Length && y < after.Length && before[x] == after[y])
            {
                x++;
                y++;
                continue;
            }
            int oldStart = x, newStart = y;
            while ((x < before.Length || y < after.Length) && !(x < before.Length && y < after.Length && before[x] == after[y]))
            {
                if (y >= after.Length || (x < before.Length && common[x + 1, y] >= common[x, y + 1]))
                    x++;
                else
                    y++;
            }
            yield return new Hunk(oldStart, x - oldStart, newStart, y - newStart);
        }
    }
}
