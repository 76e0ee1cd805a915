using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CloudAge.Common.Secrets;
using CloudAge.Tools.GitOps.Kubernetes;
using CloudAge.Tools.GitOps.Tests.Fakes;
using static CloudAge.Tools.GitOps.Tests.Fakes.KubernetesObjects;

namespace CloudAge.Tools.GitOps.Tests.Kubernetes;

/// <summary>Building clients from a kubeconfig or an EKS-style endpoint, checked against the in-process Kubernetes API fake.</summary>
public sealed class KubernetesClientsTests
{
    [Fact]
    public async Task A_kubeconfig_file_is_used_with_its_server_and_token()
    {
        await using var cluster = await FakeCluster.StartAsync("kubeconfig-token-" + Guid.NewGuid().ToString("N"));
        cluster.Deployments["cloudage"] = [RolledOut()];
        var path = Path.Combine(Path.GetTempPath(), $"kubeconfig-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster:
                server: {cluster.BaseAddress}
            users:
            - name: builder
              user:
                token: {cluster.Token}
            contexts:
            - name: fake
              context: {"{"}cluster: fake, user: builder{"}"}
            current-context: fake
            """);
        try
        {
            using var client = KubernetesClients.FromKubeconfig(path);
            var waiter = new KubernetesWaiter(client, new SecretMasker(), _ => { });

            var result = await waiter.WaitForRolloutAsync("cloudage", "cloudage", KubernetesHarness.Fast);

            Assert.Equal("cloudage", result.Deployment);
            Assert.All(cluster.TokensSeen, t => Assert.Equal(cluster.Token, t));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_missing_kubeconfig_is_a_clear_error()
    {
        var failure = Assert.Throws<ClusterException>(() => KubernetesClients.FromKubeconfig("/nonexistent/kubeconfig"));

        Assert.Contains("'/nonexistent/kubeconfig' does not exist", failure.Message);
    }

    [Fact]
    public async Task The_endpoint_token_is_masked_and_asked_for_again_once_its_lifetime_is_over()
    {
        await using var cluster = await FakeCluster.StartAsync("k8s-aws-v1." + Guid.NewGuid().ToString("N"));
        cluster.Deployments["cloudage"] = [RolledOut()];
        var masker = new SecretMasker();
        var requests = 0;
        // The token's lifetime runs on a clock the test moves, so a slow first call on a busy machine cannot outlive it.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        using var client = KubernetesClients.FromEndpoint(new ClusterEndpoint(cluster.BaseAddress, null), _ =>
        {
            Interlocked.Increment(ref requests);
            return Task.FromResult(cluster.Token);
        }, masker, tokenLifetime: TimeSpan.FromMinutes(10), time: clock);
        var waiter = new KubernetesWaiter(client, masker, _ => { });

        await waiter.WaitForRolloutAsync("cloudage", "cloudage", KubernetesHarness.Fast);
        clock.Advance(TimeSpan.FromMinutes(9));
        await waiter.WaitForRolloutAsync("cloudage", "cloudage", KubernetesHarness.Fast);
        var beforeExpiry = requests;
        clock.Advance(TimeSpan.FromMinutes(2));
        await waiter.WaitForRolloutAsync("cloudage", "cloudage", KubernetesHarness.Fast);

        Assert.Equal(1, beforeExpiry);
        Assert.Equal(2, requests);
        Assert.Equal(SecretMasker.Mask, masker.Redact(cluster.Token));
    }

    [Fact]
    public async Task A_token_refused_in_the_middle_of_a_wait_is_replaced_and_the_read_sent_again()
    {
        // The API server stops accepting the first token during the wait (an EKS token expires 15 minutes after the time
        // signed into it, sooner than this client's 10 minutes when its clock is behind the server's).
        await using var cluster = await FakeCluster.StartAsync("k8s-aws-v1.token-1");
        cluster.Deployments["cloudage"] = [.. Enumerable.Repeat(Deployment(2, 2, 2, 1, 2, 1), 100), RolledOut()];
        var masker = new SecretMasker();
        var issued = 0;
        using var client = KubernetesClients.FromEndpoint(new ClusterEndpoint(cluster.BaseAddress, null),
            _ => Task.FromResult($"k8s-aws-v1.token-{Interlocked.Increment(ref issued)}"), masker);
        var waiter = new KubernetesWaiter(client, masker, _ => { });

        var wait = waiter.WaitForRolloutAsync("cloudage", "cloudage", KubernetesHarness.Fast);
        while (cluster.ReadsOf<k8s.Models.V1Deployment>("cloudage") == 0)
            await Task.Delay(5);
        cluster.Token = "k8s-aws-v1.token-2";
        var result = await wait;

        Assert.Equal(2, result.Replicas);
        Assert.Equal(2, issued);
        Assert.Contains("k8s-aws-v1.token-1", cluster.TokensSeen);
        Assert.Equal("k8s-aws-v1.token-2", cluster.TokensSeen.Last());
        Assert.Equal(SecretMasker.Mask, masker.Redact("k8s-aws-v1.token-2"));
    }

    [Fact]
    public void Certificate_authority_data_is_read_as_EKS_gives_it()
    {
        using var key = ECDsa.Create();
        using var certificate = new CertificateRequest("CN=kubernetes", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        var data = Convert.ToBase64String(Encoding.UTF8.GetBytes(certificate.ExportCertificatePem()));

        var parsed = KubernetesClients.ParseCertificateAuthority(data);

        Assert.Equal(certificate.Thumbprint, Assert.Single(parsed).Thumbprint);
    }

    [Fact]
    public void Certificate_authority_data_that_is_not_base64_PEM_is_a_clear_error()
    {
        var failure = Assert.Throws<ClusterException>(() => KubernetesClients.ParseCertificateAuthority("not base64!"));

        Assert.Contains("certificateAuthority.data", failure.Message);
    }
}
