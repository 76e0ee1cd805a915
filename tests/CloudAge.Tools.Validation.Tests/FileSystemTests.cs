using System.Diagnostics;
using System.Net.Sockets;
using CloudAge.Tools.Validation.Tests.Fixtures;

namespace CloudAge.Tools.Validation.Tests;

/// <summary>Validate reads only regular files inside the repository, and never blocks on what it finds.</summary>
public sealed class FileSystemTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    [Fact]
    public void A_fifo_in_a_manifest_folder_is_a_finding_not_a_hang()
    {
        using var repository = new RepositoryCopy();
        MakeFifo(Path.Combine(repository.Root, "k8s", "pipe.yaml"));

        var finding = Assert.Single(ValidateWithin(repository));

        Assert.Equal(("k8s/pipe.yaml", RuleIds.FileNotRegular), (finding.File, finding.RuleId));
        Assert.Contains("FIFO", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fifo_in_place_of_the_iam_policy_is_a_finding_not_a_hang()
    {
        using var repository = new RepositoryCopy();
        var policy = Path.Combine(repository.Root, "docs", "iam-policy.json");
        File.Delete(policy);
        MakeFifo(policy);

        var finding = Assert.Single(ValidateWithin(repository));

        Assert.Equal(("docs/iam-policy.json", RuleIds.FileNotRegular), (finding.File, finding.RuleId));
    }

    [Fact]
    public void A_unix_socket_in_a_manifest_folder_is_a_finding()
    {
        using var repository = new RepositoryCopy();
        var path = Path.Combine(repository.Root, "argocd", "agent.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));

        var finding = Assert.Single(ValidateWithin(repository));

        Assert.Equal(("argocd/agent.sock", RuleIds.FileNotRegular), (finding.File, finding.RuleId));
        Assert.Contains("socket", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/etc/hostname")] // absolute: Argo CD refuses every absolute link
    [InlineData("../../outside.yaml")] // relative, climbing out of the repository
    [InlineData("../k8s/../../outside.yaml")] // leaves and would come back only after leaving
    public void A_symlink_that_leaves_the_repository_is_a_finding_and_is_not_read(string target)
    {
        using var repository = new RepositoryCopy();
        var outside = Path.Combine(Path.GetDirectoryName(repository.Root)!, "outside.yaml");
        File.WriteAllText(outside, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: stolen, namespace: cloudage}\n");
        try
        {
            File.CreateSymbolicLink(Path.Combine(repository.Root, "k8s", "linked.yaml"), target);

            var finding = Assert.Single(ValidateWithin(repository));

            Assert.Equal(("k8s/linked.yaml", RuleIds.SymlinkOutOfRepo), (finding.File, finding.RuleId));
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Fact]
    public void A_symlink_that_leaves_through_another_link_is_a_finding()
    {
        using var repository = new RepositoryCopy();
        Directory.CreateDirectory(Path.Combine(repository.Root, "shared"));
        File.CreateSymbolicLink(Path.Combine(repository.Root, "shared", "hostname.yaml"), "/etc/hostname");
        File.CreateSymbolicLink(Path.Combine(repository.Root, "k8s", "linked.yaml"), "../shared/hostname.yaml");

        var finding = Assert.Single(ValidateWithin(repository));

        Assert.Equal(("k8s/linked.yaml", RuleIds.SymlinkOutOfRepo), (finding.File, finding.RuleId));
    }

    [Fact]
    public void A_symlink_inside_the_repository_is_read_and_a_folder_loop_ends()
    {
        using var repository = new RepositoryCopy();
        File.CreateSymbolicLink(Path.Combine(repository.Root, "k8s", "service-copy.yaml"), "service.yaml");
        Directory.CreateSymbolicLink(Path.Combine(repository.Root, "k8s", "loop"), ".");

        var finding = Assert.Single(ValidateWithin(repository));

        // Read: the linked Service is not listed in the kustomization, which only reading it can tell.
        Assert.Equal(("k8s/service-copy.yaml", RuleIds.KustomizeResources), (finding.File, finding.RuleId));
    }

    [Fact]
    public void A_dangling_symlink_is_a_finding()
    {
        using var repository = new RepositoryCopy();
        File.CreateSymbolicLink(Path.Combine(repository.Root, "k8s", "gone.yaml"), "removed.yaml");

        var finding = Assert.Single(ValidateWithin(repository));

        Assert.Equal(("k8s/gone.yaml", RuleIds.FileNotRegular), (finding.File, finding.RuleId));
    }

    private static IReadOnlyList<Finding> ValidateWithin(RepositoryCopy repository)
    {
        var run = Task.Run(repository.Validate);
        Assert.True(run.Wait(Guard), $"Validate did not finish within {Guard.TotalSeconds} s");
        return run.Result;
    }

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }
}
