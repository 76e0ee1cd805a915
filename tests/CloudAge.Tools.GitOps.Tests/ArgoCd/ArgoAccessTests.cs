using CloudAge.Common.Resilience;
using CloudAge.Common.Secrets;
using CloudAge.Tools.GitOps.ArgoCd;
using CloudAge.Tools.GitOps.Tests.Fakes;
using Microsoft.AspNetCore.Http;

namespace CloudAge.Tools.GitOps.Tests.ArgoCd;

/// <summary>Credentials, addresses and refusals, against the in-process Argo CD / Kubernetes API fake.</summary>
public sealed class ArgoAccessTests
{
    [Theory]
    [InlineData(ArgoTransport.Rest, "argocd account generate-token")]
    [InlineData(ArgoTransport.Kubernetes, "401 Unauthorized")]
    public async Task A_rejected_token_fails_at_once_saying_what_to_do_without_showing_it(ArgoTransport transport, string advice)
    {
        await using var argo = await ArgoHarness.StartAsync(transport);
        var sent = argo.Token;
        argo.Cluster.Token = "the-token-the-server-wants";

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => argo.Syncer.SyncAsync(ArgoHarness.Request()));

        Assert.Contains(advice, failure.Message);
        Assert.Single(argo.Cluster.Requests);
        Assert.Contains(sent, argo.Cluster.TokensSeen);
        foreach (var line in argo.Output.Append(failure.ToString()))
            Assert.DoesNotContain(sent, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rest_sync_of_an_unknown_application_explains_the_403_Argo_CD_answers()
    {
        await using var argo = await ArgoHarness.StartAsync(ArgoTransport.Rest);

        var failure = await Assert.ThrowsAsync<ArgoPermissionException>(() => argo.Syncer.SyncAsync(new ArgoSyncRequest("nosuchapp", "abc1234")));

        Assert.Contains("403 Forbidden for application 'nosuchapp' (permission denied)", failure.Message);
        Assert.Contains("does not exist", failure.Message);
        Assert.Contains("p, role:<role>, applications, get, <project>/nosuchapp, allow", failure.Message);
    }

    [Theory]
    [InlineData(ArgoTransport.Rest)]
    [InlineData(ArgoTransport.Kubernetes)]
    public async Task A_pinned_manual_sync_without_the_override_action_gives_the_RBAC_line_with_the_project(ArgoTransport transport)
    {
        await using var argo = await ArgoHarness.StartAsync(transport);
        argo.App.Automated = false;
        argo.App.Project = "team-a";
        argo.App.RequireOverridePrivilegeForRevisionSync = true;
        argo.App.Allowed.Remove("override");
        argo.App.AfterSync.Add(new("Synced", "Healthy", "Succeeded"));

        if (transport == ArgoTransport.Kubernetes)
        {
            // The Kubernetes API applies no Argo CD RBAC: the operation is written as is (the identity's Kubernetes RBAC decides).
            await argo.Syncer.SyncAsync(ArgoHarness.Request());
            Assert.Equal(ArgoHarness.Revision, argo.App.RequestedRevision);
            return;
        }
        var failure = await Assert.ThrowsAsync<ArgoPermissionException>(() => argo.Syncer.SyncAsync(ArgoHarness.Request()));

        Assert.Equal("override", failure.Action);
        Assert.Contains("p, role:<role>, applications, override, team-a/cloudage, allow", failure.Message);
        Assert.Contains("g, ci, role:<role>", failure.Message);
        Assert.Contains("docs/argocd-setup.md", failure.Message);
        Assert.False(argo.App.SyncAccepted);
        argo.AssertTokenNeverShown(failure);
    }

    [Fact]
    public async Task An_auto_sync_fallback_without_the_sync_action_gives_the_sync_RBAC_line()
    {
        await using var argo = await ArgoHarness.StartAsync(ArgoTransport.Rest);
        argo.App.AutoSyncOnRefresh = false;
        argo.App.Project = "platform";
        argo.App.Allowed.Remove("sync");

        var failure = await Assert.ThrowsAsync<ArgoPermissionException>(() => argo.Syncer.SyncAsync(ArgoHarness.Request() with { AutoSyncGrace = TimeSpan.Zero }));

        Assert.Equal("sync", failure.Action);
        Assert.Contains("p, role:<role>, applications, sync, platform/cloudage, allow", failure.Message);
        // Revision-less under auto-sync: override is never needed there.
        Assert.Equal([null], argo.App.SyncRequests);
    }

    [Fact]
    public async Task Kubernetes_path_without_patch_on_applications_says_which_role_to_create()
    {
        await using var argo = await ArgoHarness.StartAsync(ArgoTransport.Kubernetes);
        argo.App.KubernetesVerbs.Remove("patch");

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => argo.Syncer.SyncAsync(ArgoHarness.Request()));

        Assert.Contains("cannot patch resource \"applications\"", failure.Message);
        Assert.Contains("kubectl create role cloudage-argocd-sync -n argocd --verb=get,patch --resource=applications.argoproj.io", failure.Message);
    }

    [Fact]
    public async Task Kubernetes_sync_records_who_initiated_it_and_refreshes_through_the_annotation()
    {
        await using var argo = await ArgoHarness.StartAsync(ArgoTransport.Kubernetes);
        argo.App.Automated = false;
        argo.App.AfterSync.Add(new("Synced", "Healthy", "Succeeded"));

        // One refresh is asked for; a second would follow only after RefreshInterval, which a loaded machine can reach.
        await argo.Syncer.SyncAsync(ArgoHarness.Request() with { Prune = true, RefreshInterval = TimeSpan.FromMinutes(5) });

        Assert.Equal("cloudage-build", argo.App.InitiatedBy);
        Assert.True(argo.App.RequestedPrune);
        // The controller reads sync options and retry only from the operation: the Application's own go into it, as the
        // API server's Sync puts them (RespectIgnoreDifferences keeps a sync from resetting the HPA's replicas).
        Assert.Equal(["CreateNamespace=true", "RespectIgnoreDifferences=true"], argo.App.RequestedSyncOptions);
        Assert.Equal(5, argo.App.RequestedRetryLimit);
        Assert.Equal(1, argo.App.Refreshes);
        Assert.Contains(argo.Cluster.Requests, r => r.StartsWith("PATCH /apis/argoproj.io/v1alpha1/namespaces/argocd/applications/cloudage"));
    }

    [Fact]
    public async Task A_sync_window_that_blocks_syncs_is_said_as_such_not_as_a_missing_permission()
    {
        await using var argo = await ArgoHarness.StartAsync(ArgoTransport.Rest);
        argo.App.Automated = false;
        argo.App.Project = "cloudage";
        argo.App.SyncWindowBlocks = true;

        var failure = await Assert.ThrowsAsync<ArgoCdException>(() => argo.Syncer.SyncAsync(ArgoHarness.Request()));

        Assert.IsNotType<ArgoPermissionException>(failure);
        Assert.Contains("(cannot sync: blocked by sync window): a sync window of project 'cloudage' does not allow syncs at this time", failure.Message);
        Assert.Contains("argocd proj windows list cloudage", failure.Message);
        Assert.DoesNotContain("policy.csv", failure.Message);
        Assert.False(argo.App.SyncAccepted);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_refresh_the_controller_is_slow_to_finish_is_one_try_and_then_the_application_is_read_as_it_is(bool deadlineExceeded)
    {
        await using var cluster = await FakeCluster.StartAsync("token");
        cluster.RefreshDelay = deadlineExceeded ? TimeSpan.Zero : TimeSpan.FromSeconds(2);
        cluster.RefreshDeadlineExceeded = deadlineExceeded;
        var output = new List<string>();
        var retry = new RetryPolicy { MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(10), AttemptTimeout = TimeSpan.FromMilliseconds(300) };
        using var api = new ArgoRestApi(new ArgoServerOptions(cluster.BaseAddress.ToString(), "token") { Retry = retry }, new SecretMasker(), output.Add);

        var status = await api.GetAsync("cloudage", refresh: true);

        Assert.Equal("cloudage", status.Name);
        Assert.Equal(["GET /api/v1/applications/cloudage?refresh=normal", "GET /api/v1/applications/cloudage"], cluster.Requests);
        var line = Assert.Single(output);
        Assert.StartsWith($"Argo CD at {cluster.BaseAddress} did not finish refreshing application 'cloudage' (", line, StringComparison.Ordinal);
        Assert.Contains(deadlineExceeded ? "application refresh deadline exceeded" : "no answer within 0.3 s", line);
    }

    [Fact]
    public async Task Rest_sync_sends_the_revision_and_prune_and_refreshes_with_the_query()
    {
        await using var argo = await ArgoHarness.StartAsync(ArgoTransport.Rest);
        argo.App.Automated = false;
        argo.App.AfterSync.Add(new("Synced", "Healthy", "Succeeded"));

        await argo.Syncer.SyncAsync(ArgoHarness.Request() with { Prune = true });

        Assert.True(argo.App.RequestedPrune);
        Assert.Equal("GET /api/v1/applications/cloudage?refresh=normal", argo.Cluster.Requests.First());
        Assert.Contains("POST /api/v1/applications/cloudage/sync", argo.Cluster.Requests);
    }

    [Fact]
    public async Task A_server_that_answers_a_web_page_instead_of_JSON_is_a_clear_error()
    {
        await using var page = await FakeHttpServer.StartAsync(context => context.Response.WriteAsync("<html>Sign in</html>"));
        using var api = new ArgoRestApi(new ArgoServerOptions(page.BaseAddress.ToString(), "secret-token"), new SecretMasker(), _ => { });

        var failure = await Assert.ThrowsAsync<ArgoCdException>(() => api.GetAsync("cloudage", refresh: true));

        Assert.Contains("not JSON (<html>Sign in</html>)", failure.Message);
    }

    [Theory]
    [InlineData("argocd.example.com", "https://argocd.example.com/")]
    [InlineData("argocd.example.com:8443", "https://argocd.example.com:8443/")]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080/")]
    [InlineData("https://tools.example.com/argocd/", "https://tools.example.com/argocd/")]
    public void Server_is_read_as_the_argocd_CLI_reads_ARGOCD_SERVER(string server, string expected)
    {
        Assert.Equal(new Uri(expected), new ArgoServerOptions(server, "secret-token").BaseAddress);
    }

    [Fact]
    public void Server_options_never_print_the_token()
    {
        var options = new ArgoServerOptions("argocd.example.com", "secret-token-value");

        Assert.DoesNotContain("secret-token-value", options.ToString());
    }

    [Fact]
    public void Insecure_accepts_any_certificate_and_warns()
    {
        var output = new List<string>();
        using var api = new ArgoRestApi(new ArgoServerOptions("argocd.example.com", "secret-token") { Insecure = true }, new SecretMasker(), output.Add);
        using var insecure = ArgoRestApi.CreateHandler(insecure: true);
        using var verifying = ArgoRestApi.CreateHandler(insecure: false);

        Assert.Single(output, l => l.StartsWith("Warning: TLS certificate verification is off"));
        Assert.True(insecure.SslOptions.RemoteCertificateValidationCallback!(new object(), null, null, System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.Null(verifying.SslOptions.RemoteCertificateValidationCallback);
    }

    [Fact]
    public void A_server_that_is_not_an_address_is_a_clear_error()
    {
        var failure = Assert.Throws<CloudAge.Common.Errors.InputException>(() => new ArgoServerOptions("ftp://argocd", "secret-token").BaseAddress);

        Assert.Contains("host[:port]", failure.Message);
    }
}
