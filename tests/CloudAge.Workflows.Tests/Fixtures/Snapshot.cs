using CloudAge.Testing;
using CloudAge.Workflows.Drift;

namespace CloudAge.Workflows.Tests.Fixtures;

/// <summary>
/// Byte-for-byte snapshot comparison against files under Snapshots/ in the source tree. A mismatch fails
/// with a unified diff; UPDATE_SNAPSHOTS=1 rewrites the files instead (review the git diff, then commit).
/// </summary>
public static class Snapshot
{
    public static string Directory => Path.Combine(Prerequisites.RepositoryRoot(), "tests", "CloudAge.Workflows.Tests", "Snapshots");

    public static void Match(string name, string actual)
    {
        var path = Path.Combine(Directory, name);
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }
        Assert.True(File.Exists(path), $"Snapshot {path} does not exist; run the tests with UPDATE_SNAPSHOTS=1 to create it, then review and commit it.");
        var expected = File.ReadAllText(path);
        if (expected != actual)
        {
            Assert.Fail($"Output differs from snapshot {name} (rerun with UPDATE_SNAPSHOTS=1 to accept the new output):\n"
                + UnifiedDiff.Create(expected, actual, name + " (snapshot)", name + " (generated)"));
        }
    }
}
