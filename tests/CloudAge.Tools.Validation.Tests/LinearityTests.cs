using System.Text;
using CloudAge.Tools.Validation.Tests.Fixtures;

namespace CloudAge.Tools.Validation.Tests;

/// <summary>
/// Time and memory grow linearly with the number of documents in a file. Checked by allocations, not wall time
/// (which measures the neighbours on a shared machine): four times the documents may allocate about four times
/// the bytes. Before the fix, each document's text was padded with every line before it, which made the
/// allocations grow with the square of the documents (16,000 small documents: 4 GB).
/// Documents are typed on every core, so the bytes are counted for the whole process, in a collection that runs
/// alone (no other test allocates meanwhile).
/// </summary>
[Collection(nameof(LinearityTests))]
public sealed class LinearityTests
{
    private static readonly ValidationOptions KubernetesOnly = new() { ManifestFolders = ["k8s"] };

    [Fact]
    public void Four_times_the_documents_in_one_file_allocate_about_four_times_the_bytes()
    {
        var small = AllocatedBytes(1_000);
        var large = AllocatedBytes(4_000);

        var ratio = (double)large / small;
        Assert.True(ratio is > 3 and < 5, $"1,000 documents allocated {small:N0} bytes, 4,000 allocated {large:N0} (x{ratio:F2}); linear is about x4");
    }

    private static long AllocatedBytes(int documents)
    {
        var root = Directory.CreateTempSubdirectory("cloudage-linear-");
        try
        {
            Directory.CreateDirectory(Path.Combine(root.FullName, "k8s"));
            var text = new StringBuilder();
            for (var i = 0; i < documents; i++)
            {
                // A ConfigMap and a Service per pair: strict typing, cross-document indexes and the selector rule all run.
                text.Append(i % 2 == 0
                    ? $"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings-{i}\n  namespace: app\ndata:\n  REGION: eu-west-1\n  TABLE: table-{i}\n"
                    : $"---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web-{i}\n  namespace: app\nspec:\n  ports:\n    - port: 80\n");
            }

            File.WriteAllText(Path.Combine(root.FullName, "k8s", "all.yaml"), text.ToString());
            var validator = new ManifestValidator(KubernetesOnly);
            validator.Validate(root.FullName); // start-up (JIT, the type map) is not what is measured
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var findings = validator.Validate(root.FullName);
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            Assert.Empty(findings.Select(f => f.ToString()).Take(3));
            return allocated;
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}

[CollectionDefinition(nameof(LinearityTests), DisableParallelization = true)]
public sealed class RunsAlone;
