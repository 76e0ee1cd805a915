using CloudAge.Build.Tests.Fixtures;
using CloudAge.Tools.Aws.CloudFormation;
using CloudAge.Tools.Aws.Ecr;
using CloudAge.Tools.Aws.Eks;
using CloudAge.Tools.Aws.Iam;
using CloudAge.Tools.Container;
using CloudAge.Tools.Container.Building;
using CloudAge.Tools.Container.Pushing;
using CloudAge.Tools.Container.Registry;
using CloudAge.Tools.GitOps.Git;
using CloudAge.Tools.GitOps.Kubernetes;

namespace CloudAge.Build.Tests;

/// <summary>README's "How long the build waits for a server" table against the defaults the clients are built with.</summary>
public sealed class ServerWaitTableTests
{
    private static Dictionary<string, string[]> Rows()
    {
        var readme = File.ReadAllText(Path.Combine(Prerequisites.RepositoryRoot(), "README.md"));
        var section = readme[readme.IndexOf("## How long the build waits for a server\n", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 5, StringComparison.Ordinal)];
        return section.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| Server", StringComparison.Ordinal))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries)[1..^1]).ToDictionary(r => r[0]);
    }

    private static string Seconds(TimeSpan? time) => $"{time!.Value.TotalSeconds:0} s";

    public static TheoryData<string, string, int, string> Defaults()
    {
        var ecr = new EcrClientOptions();
        var cloudFormation = new CloudFormationClientOptions();
        var iam = new IamClientOptions();
        Assert.Equal((ecr.AttemptTimeout, ecr.MaxAttempts, ecr.FirstRetryDelay),
            (cloudFormation.AttemptTimeout, cloudFormation.MaxAttempts, cloudFormation.FirstRetryDelay)); // one row for the three
        Assert.Equal((ecr.AttemptTimeout, ecr.MaxAttempts, ecr.FirstRetryDelay), (iam.AttemptTimeout, iam.MaxAttempts, iam.FirstRetryDelay));
        var eks = EksClusterClient.Patience;
        var container = ContainerRetry.Default;
        var push = $"{Seconds(container.AttemptTimeout * 10)}, and {Seconds(new RegistryClientOptions().StallTimeout)} without progress";
        var kubernetes = RetryPipeline.Default;
        return new()
        {
            { "Docker engine (ping)", Seconds(DockerEngine.PingTimeout), 1, "" },
            { "Container registry (one request)", Seconds(container.AttemptTimeout), container.MaxAttempts, Seconds(container.BaseDelay) },
            { "Image push through the engine", push, container.MaxAttempts, Seconds(container.BaseDelay) },
            { "ECR, CloudFormation and IAM APIs", Seconds(ecr.AttemptTimeout), ecr.MaxAttempts, Seconds(ecr.FirstRetryDelay) },
            { "EKS DescribeCluster", Seconds(eks.AttemptTimeout), eks.MaxAttempts, Seconds(eks.FirstRetryDelay) },
            { "Kubernetes API and Argo CD (one request)", Seconds(kubernetes.AttemptTimeout), kubernetes.MaxAttempts, Seconds(kubernetes.BaseDelay) },
            { "git remote (fetch, push, ls-remote; one command)", Seconds(GitNetwork.CommandTimeout), GitNetwork.Attempts, Seconds(CloudAge.Common.Resilience.RetryPolicy.Default.BaseDelay) },
        };
    }

    [Theory]
    [MemberData(nameof(Defaults))]
    public void Each_row_gives_the_limit_per_try_the_tries_and_the_first_pause_the_code_uses(string server, string perTry, int tries, string firstPause)
    {
        var row = Rows()[server];

        Assert.Equal(perTry, row[1]);
        Assert.Equal(tries.ToString(System.Globalization.CultureInfo.InvariantCulture), row[2]);
        Assert.StartsWith(firstPause, row[3], StringComparison.Ordinal);
        // Each figure the "prints" column quotes is the same default.
        foreach (var figure in System.Text.RegularExpressions.Regex.Matches(row[4], @"(\d+) tries").Select(m => m.Groups[1].Value))
            Assert.Equal(tries.ToString(System.Globalization.CultureInfo.InvariantCulture), figure);
    }

    [Fact]
    public void The_table_has_a_row_for_each_server_the_test_knows_and_no_other()
    {
        Assert.Equal(Defaults().Select(d => (string)d[0]).Order(), Rows().Keys.Order());
    }
}
