using CloudAge.Tools.Validation.Tests.Fixtures;

namespace CloudAge.Tools.Validation.Tests;

/// <summary>How pod-level and container-level settings combine, as the Pod Security Standards define it.</summary>
public sealed class PodSecurityTests
{
    private const string Deployment = "k8s/deployment.yaml";

    [Fact]
    public void A_pod_level_runAsNonRoot_covers_a_container_that_does_not_set_it()
    {
        using var repository = new RepositoryCopy().Replace(Deployment, "            runAsNonRoot: true\n", "");

        Assert.DoesNotContain(repository.Validate(), f => f.RuleId == RuleIds.PssRunAsNonRoot);
    }

    [Fact]
    public void Without_runAsNonRoot_on_the_pod_or_the_container_the_container_is_reported()
    {
        using var repository = new RepositoryCopy()
            .Replace(Deployment, "        runAsNonRoot: true\n", "")
            .Replace(Deployment, "            runAsNonRoot: true\n", "");

        var finding = Assert.Single(repository.Validate(), f => f.RuleId == RuleIds.PssRunAsNonRoot);

        Assert.Equal(repository.LineOf(Deployment, "          securityContext:"), finding.Line);
        Assert.Contains("container cloudage", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_container_without_seccomp_is_reported_only_when_the_pod_sets_none_either()
    {
        using var repository = new RepositoryCopy().Replace(Deployment, "        seccompProfile:\n          type: RuntimeDefault\n", "");

        Assert.Contains(repository.Validate(), f => f.RuleId == RuleIds.PssSeccomp && f.Line == repository.LineOf(Deployment, "          securityContext:"));

        repository.Replace(Deployment, "            allowPrivilegeEscalation: false\n", "            allowPrivilegeEscalation: false\n            seccompProfile:\n              type: Localhost\n              localhostProfile: profiles/app.json\n");
        Assert.DoesNotContain(repository.Validate(), f => f.RuleId == RuleIds.PssSeccomp);
    }

    [Fact]
    public void Init_and_ephemeral_containers_are_checked_like_containers()
    {
        const string init = """
                  initContainers:
                    - name: migrate
                      image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/cloudage:0.0.0-placeholder
                      resources:
                        requests: {cpu: 10m, memory: 16Mi}
                        limits: {cpu: 10m, memory: 16Mi}
                      securityContext:
                        privileged: true
                  ephemeralContainers:
                    - name: debug
                      image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/cloudage:0.0.0-placeholder
                      securityContext:
                        runAsUser: 0
                  containers:

            """;
        using var repository = new RepositoryCopy().Replace(Deployment, "      containers:\n", init);

        var findings = repository.Validate();

        Assert.Equal([RuleIds.PssCapabilities, RuleIds.PssPrivilegeEscalation, RuleIds.PssPrivileged], RulesAbout("init container migrate"));
        Assert.Equal([RuleIds.PssCapabilities, RuleIds.PssPrivilegeEscalation, RuleIds.PssRunAsUser], RulesAbout("ephemeral container debug"));

        string[] RulesAbout(string who) =>
            findings.Where(f => f.Message.Contains(who, StringComparison.Ordinal)).Select(f => f.RuleId).Distinct().Order(StringComparer.Ordinal).ToArray();
    }

    [Fact]
    public void A_windows_pod_is_exempt_from_the_linux_only_controls_but_not_from_the_others()
    {
        using var repository = new RepositoryCopy()
            .Replace(Deployment, "      serviceAccountName: cloudage-sa", "      os:\n        name: windows\n      serviceAccountName: cloudage-sa")
            .Replace(Deployment, "            allowPrivilegeEscalation: false\n", "            privileged: true\n");

        var rules = repository.Validate().Select(f => f.RuleId).ToList();

        Assert.DoesNotContain(RuleIds.PssPrivilegeEscalation, rules);
        Assert.Contains(RuleIds.PssPrivileged, rules);
    }

    [Fact]
    public void Only_NET_BIND_SERVICE_may_be_added()
    {
        using var repository = new RepositoryCopy().Replace(Deployment, "                - ALL\n", "                - ALL\n              add:\n                - NET_BIND_SERVICE\n");

        Assert.DoesNotContain(repository.Validate(), f => f.RuleId == RuleIds.PssCapabilities);
    }

    [Fact]
    public void A_host_on_a_lifecycle_handler_is_reported_even_loopback_and_an_empty_host_is_not()
    {
        // Released check_hostProbesAndhostLifecycle.go (1.34+) allows only an empty or unset host, 127.0.0.1 included.
        using var repository = new RepositoryCopy()
            .Replace(Deployment, "          lifecycle:\n", "          lifecycle:\n            postStart:\n              tcpSocket:\n                host: 127.0.0.1\n                port: 80\n")
            .Replace(Deployment, "          readinessProbe:\n            httpGet:\n", "          readinessProbe:\n            httpGet:\n              host: \"\"\n");

        var finding = Assert.Single(repository.Validate(), f => f.RuleId == RuleIds.PssProbeHost);

        Assert.Equal(repository.LineOf(Deployment, "host: 127.0.0.1"), finding.Line);
        Assert.Contains("lifecycle.postStart.tcpSocket.host: 127.0.0.1 on container cloudage", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("~")]
    public void A_plain_null_host_is_no_host(string value)
    {
        // The API server decodes a YAML null as the field unset; a quoted "null" would be a host named null.
        using var repository = new RepositoryCopy()
            .Replace(Deployment, "          readinessProbe:\n            httpGet:\n", $"          readinessProbe:\n            httpGet:\n              host: {value}\n");

        Assert.DoesNotContain(repository.Validate(), f => f.RuleId == RuleIds.PssProbeHost);
    }

    [Fact]
    public void A_quoted_null_host_is_a_host()
    {
        using var repository = new RepositoryCopy()
            .Replace(Deployment, "          readinessProbe:\n            httpGet:\n", "          readinessProbe:\n            httpGet:\n              host: \"null\"\n");

        Assert.Contains(repository.Validate(), f => f.RuleId == RuleIds.PssProbeHost);
    }
}
